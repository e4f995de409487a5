using System.Diagnostics;
using System.Globalization;
using V2AStream.Bench;
using V2AStream.Bench.Relay;
using V2AStream.Testing;
using V2AStream.Testing.MediaServers;

// Latency through v2a relay: ffmpeg publishes a multi-scene clip at 1x to nginx-rtmp as OBS would, `v2a relay` (a child,
// with a `v2a serve` child as its daemon) adds the sound, and two viewers read from nginx at once: one the relay's
// output, one the source itself (the reference: what nginx and a viewer cost without the relay). Latency of a frame =
// the wall time it is readable at a viewer (its last byte arrived) - the wall time the publisher published it.
var seconds = args.Length > 1 && args[0] == "--seconds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 120;
var root = BenchSupport.FindRoot();
var v2a = Path.Combine(root, "src", "V2AStream", "bin", "Release", "net10.0", "v2a.dll");
var work = Directory.CreateTempSubdirectory("v2a-relay-bench-").FullName;
var loadBefore = BenchSupport.LoadAverage();
Console.Error.WriteLine($"relay bench: {seconds} s, working in {work}, load average {loadBefore}");

// The clip: 10 s scenes of ffmpeg's lavfi sources in turn, 640x360 at 25 fps, H.264 with B-frames and a key frame every
// 2 s (OBS's default for streaming services), and AAC sound of its own (the relay does not pass it on).
string[] sources = ["testsrc2", "smptebars", "mandelbrot", "rgbtestsrc", "yuvtestsrc", "cellauto", "pal100bars", "life"];
var scenes = seconds / 10;
var clip = Path.Combine(work, "clip.mp4");
var make = new List<string> { "-hide_banner", "-loglevel", "error" };
for (var i = 0; i < scenes; i++)
{
    make.AddRange(["-f", "lavfi", "-t", "10", "-i", $"{sources[i % sources.Length]}=size=640x360:rate=25"]);
}

make.AddRange(["-f", "lavfi", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-i", "sine=frequency=440:sample_rate=48000",
    "-filter_complex", string.Concat(Enumerable.Range(0, scenes).Select(i => $"[{i}:v]setsar=1,format=yuv420p[v{i}];")) + string.Concat(Enumerable.Range(0, scenes).Select(i => $"[v{i}]")) + $"concat=n={scenes}:v=1:a=0[v]",
    "-map", "[v]", "-map", $"{scenes}:a", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-c:a", "aac", "-movflags", "+faststart", "-y", clip]);
BenchSupport.Run("ffmpeg", make);

await using var nginx = await NginxRtmpServer.StartAsync("rtmp { server { listen 127.0.0.1:{port}; application live { live on; play_restart on; } } }");
var daemonPort = LoopbackPort.Free();
using var daemon = StartV2a(v2a, "serve", "--listen", $"127.0.0.1:{daemonPort}", "--health-listen", $"127.0.0.1:{LoopbackPort.Free()}");
var started = new List<Process> { daemon };
AppDomain.CurrentDomain.ProcessExit += (_, _) => started.ForEach(KillQuietly);
await nginx.WaitUntilAsync(() => Task.FromResult(LoopbackPort.Accepts(daemonPort)), TimeSpan.FromSeconds(60), "the daemon to listen");
using var relay = StartV2a(v2a, "relay", nginx.Url("live", "in"), "--publish", nginx.Url("live", "out"), "--server", $"http://127.0.0.1:{daemonPort}", "--reconnect-window", "1s", "--status-interval", "10s");
started.Add(relay);
var relayErrors = relay.StandardError.ReadToEndAsync();

var direct = new FlvTagClock();
var relayed = new FlvTagClock();
using var directViewer = StartFfmpeg("-i", nginx.Url("live", "in"), "-c", "copy", "-f", "flv", "-flush_packets", "1", "pipe:1");
using var relayedViewer = StartFfmpeg("-i", nginx.Url("live", "out"), "-c", "copy", "-f", "flv", "-flush_packets", "1", "pipe:1");
started.AddRange([directViewer, relayedViewer]);
var directRead = direct.ReadAsync(directViewer.StandardOutput.BaseStream, Path.Combine(work, "direct.flv"));
var relayedRead = relayed.ReadAsync(relayedViewer.StandardOutput.BaseStream, Path.Combine(work, "relayed.flv"));
await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("live", "in") == 2 && await nginx.PlayersAsync("live", "out") == 1, TimeSpan.FromSeconds(60), "the relay and the viewers");

// The publisher reports how far it has published (out_time) ten times a second; its wall clock for media time m is
// interpolated between reports (-re publishes at a steady 1x).
var published = new List<(long Wall, double Media)>();
using (var publisher = StartFfmpeg("-re", "-i", clip, "-c", "copy", "-f", "flv", "-progress", "pipe:1", "-stats_period", "0.1", nginx.Url("live", "in")))
{
    while (await publisher.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line["out_time_us=".Length..], out var microseconds))
        {
            published.Add((Stopwatch.GetTimestamp(), microseconds / 1e6));
        }
    }

    await publisher.WaitForExitAsync();
}

await Task.WhenAll(directRead, relayedRead);
await relay.WaitForExitAsync();
daemon.Kill(entireProcessTree: true);
await daemon.WaitForExitAsync();
var loadAfter = BenchSupport.LoadAverage();
Console.Error.WriteLine(await relayErrors);

// Each recording's own time of the clip's time 0, from where its scene cuts are (every 10 s in the clip).
async Task<double> OffsetAsync(string recording)
{
    var cuts = await MediaProbe.VideoCutsAsync(recording);
    return BenchSupport.Median(cuts.Select(cut => cut - (Math.Round(cut / 10) * 10)));
}

var directOffset = await OffsetAsync(Path.Combine(work, "direct.flv"));
var relayedOffset = await OffsetAsync(Path.Combine(work, "relayed.flv"));
double PublishedAt(double media)
{
    var after = published.FindIndex(p => p.Media >= media);
    var (a, b) = after <= 0 ? (published[0], published[Math.Min(1, published.Count - 1)]) : (published[after - 1], published[after]);
    var wall = b.Media == a.Media ? a.Wall : a.Wall + ((media - a.Media) / (b.Media - a.Media) * (b.Wall - a.Wall));
    return wall / Stopwatch.Frequency;
}

// Everything, and from 10 s of media on (after the relay's start-up: its first call, the daemon's first stream).
double[] Latencies(IEnumerable<(double Pts, long Arrived)> frames, double offset, double fromMedia) =>
    [.. frames.Where(f => f.Pts - offset >= fromMedia).Select(f => (f.Arrived / (double)Stopwatch.Frequency) - PublishedAt(f.Pts - offset)).Order()];

Console.WriteLine($"| {seconds} s at 1x, load average {loadBefore} -> {loadAfter} | frames | p50 | p95 | p99 | max | p50 - reference p50 |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var from in new[] { 0.0, 10.0 })
{
    var rows = new (string Name, double[] Sorted)[]
    {
        ("direct video (nginx alone, the reference)", Latencies(direct.Video, directOffset, from)),
        ("relayed video", Latencies(relayed.Video, relayedOffset, from)),
        ("relayed sound (the generated audio)", Latencies(relayed.Audio, relayedOffset, from)),
    };
    var reference = BenchSupport.Percentile(rows[0].Sorted, 0.5);
    foreach (var (name, sorted) in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name}, media from {from:F0} s | {sorted.Length} | {BenchSupport.Percentile(sorted, 0.5):F3} s | {BenchSupport.Percentile(sorted, 0.95):F3} s | {BenchSupport.Percentile(sorted, 0.99):F3} s | {sorted[^1]:F3} s | {BenchSupport.Percentile(sorted, 0.5) - reference:+0.000;-0.000} s |"));
    }
}

Directory.Delete(work, recursive: true);

static Process StartV2a(string dll, params string[] arguments) => Start("dotnet", [dll, .. arguments], redirectStdout: false);

static Process StartFfmpeg(params string[] arguments) => Start("ffmpeg", ["-hide_banner", "-nostats", "-loglevel", "error", .. arguments], redirectStdout: true);

static Process Start(string program, string[] arguments, bool redirectStdout)
{
    var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = redirectStdout, RedirectStandardError = program == "dotnet" };
    foreach (var argument in arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }

    return Process.Start(startInfo)!;
}

static void KillQuietly(Process process)
{
    try
    {
        process.Kill(entireProcessTree: true);
    }
    catch (InvalidOperationException)
    {
        // Exited, or already disposed.
    }
}
