// Time and peak ffmpeg memory on hostile input (bench/README.md, "## Hostile input").
//   dotnet run -c Release --project bench/HostileInput [-- --runs 5 --cap 60 --no-readme]
// Each input is read three ways in the same invocation: FrameReader as it is (its timestamp clock, -max_pixels and
// memory bound), a bare ffmpeg given FrameReader's very arguments (the reference for the overhead ratio), and a bare
// ffmpeg given the arguments FrameReader used before issue 11 (fps filter straight on the input's timestamps, no
// bounds), stopped after --cap seconds. Runs rotate (each round starts with another of the three); the median time of --runs is reported (a run stopped at the cap
// is not repeated). Peak memory is the ffmpeg child's VmHWM from /proc, sampled every 20 ms, the highest of the runs.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using V2AStream.Core.Media;
using V2AStream.Testing.Media;
using static V2AStream.Bench.BenchSupport;

var cap = TimeSpan.FromSeconds(args.SkipWhile(a => a != "--cap").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(60));
var runs = (int)args.SkipWhile(a => a != "--runs").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
var writeReadme = !args.Contains("--no-readme");
var root = FindRoot();
var outDir = Path.Combine(root, "bench", "out", "hostile");
Directory.CreateDirectory(outDir);
var corrupted = Path.Combine(outDir, "corrupted-pts.ts");
if (!File.Exists(corrupted))
{
    HostileMedia.CorruptedPtsTs(outDir);
}

var fourK = Path.Combine(outDir, "4k-10s.ts");
if (!File.Exists(fourK))
{
    HostileMedia.Ffmpeg("-f", "lavfi", "-t", "10", "-i", "testsrc2=size=3840x2160:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", fourK);
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Median of {runs} rotating runs. Inputs (made by the bench): `corrupted-pts.ts`, 10 s of 160x120 H.264 with B-frames in MPEG-TS whose 120th PES header's PTS was moved 23 hours on (its DTS kept; `HostileMedia.CorruptedPtsTs`); `4k-10s.ts`, 10 s of 3840x2160 H.264 at 25 fps. Sampling at 4 fps, CLIP 224 crop. Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start; the old arguments are stopped after {cap.TotalSeconds:0} s.");
table.AppendLine();
table.AppendLine("| input | run | wall s | frames out | media s | peak ffmpeg RSS MiB | time vs bare ffmpeg, same arguments |");
table.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var (label, path) in new[] { ("corrupted PTS (TS)", corrupted), ("4K H.264 (TS)", fourK) })
{
    var reader = new FrameReader(new FrameReaderOptions());
    var source = MediaSource.FromFile(path);
    var bareRuns = new List<Measurement>();
    var ourRuns = new List<Measurement>();
    var oldRuns = new List<Measurement>();
    Func<Task>[] kinds =
    [
        async () => bareRuns.Add(await MeasureAsync(() => BareAsync(reader.BuildArguments(source), reader.Options.Geometry.FrameBytes, cap))),
        async () => ourRuns.Add(await MeasureAsync(async () =>
        {
            var count = 0;
            await foreach (var frame in reader.ReadFramesAsync(source))
            {
                frame.Dispose();
                count++;
            }

            return (count, false);
        })),
        async () =>
        {
            if (oldRuns.Count == 0 || !oldRuns[0].Capped)
            {
                oldRuns.Add(await MeasureAsync(() => BareAsync(ArgumentsBeforeIssue11(path), reader.Options.Geometry.FrameBytes, cap)));
            }
        },
    ];
    for (var i = 0; i < runs; i++)
    {
        // Each round starts with another kind, so a warm or cold cache does not favour one.
        for (var k = 0; k < kinds.Length; k++)
        {
            await kinds[(i + k) % kinds.Length]();
        }
    }

    var (bare, ours, old) = (Summarize(bareRuns), Summarize(ourRuns), Summarize(oldRuns));
    Row(label, "FrameReader", ours, ours.Seconds / bare.Seconds);
    Row(label, "bare ffmpeg, FrameReader's arguments", bare, 1);
    Row(label, "bare ffmpeg, arguments before issue 11", old, null);
}

table.AppendLine();
table.AppendLine("What it shows: with its timestamps made continuous, FrameReader reads the corrupted stream's 10 s as 10 s (two jumps counted in the stream's summary); with the arguments before issue 11 the fps filter fills the 23-hour gap with repeated frames, thousands of media seconds a minute, until it is stopped. The 4K stream decodes within the default 1 GiB child bound (peak well under it) and under the 8192 x 4320 pixel limit. The time ratios are FrameReader's whole cost (the guarded start through setpriv and prlimit, the pipe into .NET) over ffmpeg alone; on a shared machine (see the load average) runs of a second or less vary by tens of percent from one invocation to the next.");
Console.WriteLine(table);
if (writeReadme)
{
    UpdateReadmeSection(Path.Combine(root, "bench", "README.md"), "## Hostile input", "dotnet run -c Release --project bench/HostileInput", table.ToString());
}

return 0;

void Row(string input, string run, Measurement m, double? ratio) =>
    table.AppendLine(CultureInfo.InvariantCulture, $"| {input} | {run} | {(m.Capped ? ">= " : string.Empty)}{m.Seconds:0.00} | {m.Frames}{(m.Capped ? " (stopped)" : string.Empty)} | {m.Frames / 4.0:0.00} | {m.PeakRssBytes / 1048576.0:0} | {(ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "-")} |");

// The frame reader's arguments as they were before issue 11: no timestamp clock, no bounds.
static string[] ArgumentsBeforeIssue11(string path) =>
[
    "-hide_banner", "-nostats", "-loglevel", "error", "-probesize", "5000000", "-protocol_whitelist", "file", "-i", path,
    "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", $"fps=4:round=up,{FrameGeometryFilter()}", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
];

static string FrameGeometryFilter() =>
    "scale=w='if(gte(iw*sar\\,ih)\\,ceil(224*iw*sar/ih/2)*2\\,224)':h='if(gte(iw*sar\\,ih)\\,224\\,ceil(224*ih/(iw*sar)/2)*2)':flags=bicubic,crop=224:224,format=rgb24,setsar=1";

static async Task<(int Frames, bool Capped)> BareAsync(IReadOnlyList<string> arguments, int frameBytes, TimeSpan cap)
{
    var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }

    using var process = Process.Start(startInfo)!;
    var errors = process.StandardError.ReadToEndAsync();
    var buffer = new byte[1 << 20];
    long total = 0;
    using var timeout = new CancellationTokenSource(cap);
    var capped = false;
    try
    {
        int read;
        while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            total += read;
        }
    }
    catch (OperationCanceledException)
    {
        capped = true;
        process.Kill();
    }

    await process.WaitForExitAsync();
    await errors;
    return ((int)(total / frameBytes), capped);
}

static Measurement Summarize(List<Measurement> measured) =>
    new(Median(measured.Select(m => m.Seconds)), measured[0].Frames, measured.Max(m => m.PeakRssBytes), measured[0].Capped);

static async Task<Measurement> MeasureAsync(Func<Task<(int Frames, bool Capped)>> run)
{
    using var stop = new CancellationTokenSource();
    var peak = PeakChildRssAsync(stop.Token);
    var watch = Stopwatch.StartNew();
    var (frames, capped) = await run();
    var seconds = watch.Elapsed.TotalSeconds;
    await stop.CancelAsync();
    return new Measurement(seconds, frames, await peak, capped);
}

// The highest VmHWM of any ffmpeg child of this process while the run lasts.
static async Task<long> PeakChildRssAsync(CancellationToken cancellationToken)
{
    long peak = 0;
    var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    while (!cancellationToken.IsCancellationRequested)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                if (status.Any(l => l == "Name:\tffmpeg") && status.Any(l => l.StartsWith("PPid:", StringComparison.Ordinal) && l.Split('\t')[1] == me)
                    && status.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } hwm)
                {
                    peak = Math.Max(peak, long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        try
        {
            await Task.Delay(20, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    return peak;
}

internal sealed record Measurement(double Seconds, int Frames, long PeakRssBytes, bool Capped);
