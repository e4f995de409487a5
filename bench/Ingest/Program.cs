// Ingest and embedding throughput (bench/README.md, "## Ingest and embedding").
//   dotnet run -c Release --project bench/Ingest [-- --seconds 20 --runs 3 --no-readme]
// FrameReader is compared with a bare ffmpeg given the very same arguments (FrameReader.BuildArguments) writing
// rawvideo into /dev/null, in the same invocation, alternating runs; the median of each is reported.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using static V2AStream.Bench.BenchSupport;

var seconds = ArgValue("--seconds", 20);
var runs = ArgValue("--runs", 3);
var writeReadme = !args.Contains("--no-readme");
var root = FindRoot();
var outDir = Path.Combine(root, "bench", "out");
Directory.CreateDirectory(outDir);
var clip = Path.Combine(outDir, $"ingest-720p30-{seconds}s.mp4");
if (!File.Exists(clip))
{
    Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", clip]);
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Clip: lavfi testsrc2 1280x720 at 30 fps, {seconds} s, H.264 (made by the bench). Median of {runs} alternating runs; machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start (other work on the machine moves these figures: compare ratios from one run, not figures across runs).");
table.AppendLine();
table.AppendLine("| ingest case | bare ffmpeg frames/s | FrameReader frames/s | ratio (target >= 0.9) |");
table.AppendLine("| --- | ---: | ---: | ---: |");
foreach (var (label, fps, geometry) in new (string, double, FrameGeometry)[]
{
    ("every frame (30 fps), CLIP 224 crop", 30, FrameGeometry.Clip(224)),
    ("4 fps, CLIP 224 crop", 4, FrameGeometry.Clip(224)),
    ("4 fps, plain 64x64 (builtin)", 4, FrameGeometry.Plain(64, 64)),
})
{
    var reader = new FrameReader(new FrameReaderOptions { SampleFps = fps, Geometry = geometry });
    var source = MediaSource.FromFile(clip);
    var bare = new List<double>();
    var ours = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        bare.Add(BareFfmpeg(reader.BuildArguments(source), (int)Math.Floor(seconds * fps)));
        ours.Add(await FrameReaderRate(reader, source));
    }

    table.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Median(bare):0.0} | {Median(ours):0.0} | {Median(ours) / Median(bare):0.00} |");
    Console.Error.WriteLine($"{label}: ffmpeg {string.Join(", ", bare.Select(b => b.ToString("0.0", CultureInfo.InvariantCulture)))}; FrameReader {string.Join(", ", ours.Select(b => b.ToString("0.0", CultureInfo.InvariantCulture)))}");
}

table.AppendLine();
table.AppendLine("| embedder | threads | batch | frames/s | real-time streams at 4 fps |");
table.AppendLine("| --- | ---: | ---: | ---: | ---: |");
var builtin = new BuiltinPixelEmbedder();
var builtinFrames = await LoadFrames(clip, builtin.Geometry, 64);
var builtinRate = Median(Enumerable.Range(0, runs).Select(_ => EmbedRate(builtin, builtinFrames, 8)));
table.AppendLine(CultureInfo.InvariantCulture, $"| builtin-pixel (512) | 1 | 8 | {builtinRate:0} | {builtinRate / 4:0} |");

var catalog = ModelSetCatalog.CreateDefault();
var mobilenet = catalog.Resolve("mobilenet");
var mobilenetSpec = (EmbedderSpec)mobilenet.Find(ModelPartSlot.Embedder)!.Spec;
if (catalog.FindFile(mobilenet, mobilenetSpec.File!) is null)
{
    table.AppendLine("| mobilenetv2 (1280) | - | - | weights absent: see models/README.md | - |");
}
else
{
    var frames224 = await LoadFrames(clip, OnnxImageEmbedder.GeometryOf(mobilenetSpec), 32);
    foreach (var threads in new[] { 1, 2 })
    {
        var loader = new ModelSetLoader(catalog, new ModelSetLoaderOptions { SessionSettings = new SessionSettings { IntraOpThreads = threads } });
        await using var set = await loader.LoadAsync(mobilenet, [ModelPartSlot.Embedder], CancellationToken.None);
        var embedder = set.Embedder;
        EmbedRate(embedder, frames224[..8], 8);
        var rate = Median(Enumerable.Range(0, runs).Select(_ => EmbedRate(embedder, frames224, 8)));
        table.AppendLine(CultureInfo.InvariantCulture, $"| mobilenetv2-12-int8 (1280) | {threads} | 8 | {rate:0.0} | {rate / 4:0.0} |");
    }
}

Console.WriteLine(table);
if (writeReadme)
{
    UpdateReadmeSection(Path.Combine(root, "bench", "README.md"), "## Ingest and embedding", "dotnet run -c Release --project bench/Ingest", table.ToString());
}

return 0;

double BareFfmpeg(IReadOnlyList<string> arguments, int expectedFrames)
{
    // Through the shell only to send stdout to /dev/null: ffmpeg then writes at full speed with no reader in the way.
    var command = "exec ffmpeg " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'")) + " > /dev/null";
    var watch = Stopwatch.StartNew();
    Run("/bin/sh", ["-c", command]);
    return expectedFrames / watch.Elapsed.TotalSeconds;
}

async Task<double> FrameReaderRate(FrameReader reader, MediaSource source)
{
    var watch = Stopwatch.StartNew();
    var count = 0;
    await foreach (var frame in reader.ReadFramesAsync(source))
    {
        frame.Dispose();
        count++;
    }

    return count / watch.Elapsed.TotalSeconds;
}

double EmbedRate(IFrameEmbedder embedder, VideoFrame[] frames, int batch)
{
    var output = new float[batch * embedder.Dim];
    var watch = Stopwatch.StartNew();
    for (var i = 0; i + batch <= frames.Length; i += batch)
    {
        embedder.EmbedAsync(frames[i..(i + batch)], output, CancellationToken.None).GetAwaiter().GetResult();
    }

    return (frames.Length / batch * batch) / watch.Elapsed.TotalSeconds;
}

async Task<VideoFrame[]> LoadFrames(string path, FrameGeometry geometry, int count)
{
    var reader = new FrameReader(new FrameReaderOptions { SampleFps = 30, Geometry = geometry });
    var frames = new List<VideoFrame>();
    await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(path)))
    {
        using (frame)
        {
            frames.Add(new VideoFrame(frame.Index, frame.TimeSeconds, frame.Width, frame.Height, frame.Pixels.ToArray()));
        }

        if (frames.Count == count)
        {
            break;
        }
    }

    return [.. frames];
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
