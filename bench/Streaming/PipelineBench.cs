using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using Grpc.Core;
using Grpc.Net.Client;
using V2AStream.Bench;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Bench.Streaming;

/// <summary>
/// End-to-end file throughput with the builtin model set on a 720p30 H.264 clip made here from lavfi sources, against
/// ingest alone on the same clip (FrameReader at the pipeline's sample rate and the builtin embedder's geometry, frames
/// dropped as they come): (a) ingest only, (b) StreamPipeline in this process, (c) the daemon (`v2a serve`, a child
/// process) fed the file's bytes over Generate by Grpc.Net.Client. Runs alternate a, b, c.
/// </summary>
internal sealed class PipelineBench(string root, int runs, int clipSeconds, bool daemon)
{
    private const double SampleFps = 4;

    public async Task RunAsync()
    {
        var clip = MakeClip();
        await using var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(ModelSetManifest.BuiltinName, CancellationToken.None);
        var geometry = set.Embedder.Geometry;
        using var server = daemon ? await StartDaemonAsync() : null;
        using var channel = server is null ? null : GrpcChannel.ForAddress(server.Address);
        var client = channel is null ? null : new V2AStreamApi.V2AStreamClient(channel);

        var cases = new List<(string Name, Func<Task<(long Frames, double Seconds)>> Run)>
        {
            ("(a) ingest only: FrameReader, no consumer", () => IngestAsync(clip, geometry)),
            ("(b) StreamPipeline in-process, builtin", () => PipelineAsync(clip, set)),
        };
        if (client is not null)
        {
            cases.Add(("(c) daemon: v2a serve + Grpc.Net.Client Generate, builtin", () => DaemonAsync(clip, client)));
        }

        foreach (var (name, run) in cases)
        {
            var (frames, seconds) = await run();
            Console.Error.WriteLine(FormattableString.Invariant($"warm-up {name}: {frames} frames in {seconds:0.00} s"));
        }

        var rates = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = cases.ToDictionary(c => c.Name, _ => new List<(double Self, double Children)>());
        for (var i = 0; i < runs; i++)
        {
            foreach (var (name, run) in cases)
            {
                var before = CpuTimes.Now();
                var (frames, seconds) = await run();
                var used = CpuTimes.Now() - before;
                rates[name].Add(frames / seconds);
                cpu[name].Add((used.SelfSeconds * 1000 / frames, used.ChildrenSeconds * 1000 / frames));
                Console.Error.WriteLine(FormattableString.Invariant($"run {i + 1} {name}: {frames} frames in {seconds:0.00} s = {frames / seconds:0.0} frames/s"));
            }
        }

        var ingest = BenchSupport.Median(rates[cases[0].Name]);
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Clip: {clipSeconds} s, 1280x720 at 30 fps, H.264 (lavfi testsrc2, smptehdbars, rgbtestsrc and a hue-shifted testsrc2, cut in equal parts; made by the bench). Sampled at {SampleFps} fps to {geometry.Width}x{geometry.Height} (the builtin embedder's input). Median of {runs} alternating runs."));
        Console.WriteLine();
        Console.WriteLine("| case | sampled frames/s | real-time factor | ratio to (a) (target >= 0.9) | CPU ms per frame: this process | CPU ms per frame: ffmpeg |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in cases)
        {
            var rate = BenchSupport.Median(rates[name]);
            var self = BenchSupport.Median(cpu[name].Select(c => c.Self));
            var children = BenchSupport.Median(cpu[name].Select(c => c.Children));
            var ffmpeg = name.StartsWith("(c)", StringComparison.Ordinal) ? "in the daemon" : FormattableString.Invariant($"{children:0.00}");
            Console.WriteLine(FormattableString.Invariant($"| {name} | {rate:0.0} | {rate / SampleFps:0.0}x | {rate / ingest:0.00} | {self:0.00} | {ffmpeg} |"));
        }
    }

    private string MakeClip()
    {
        var outDir = Path.Combine(root, "bench", "out");
        Directory.CreateDirectory(outDir);
        var clip = Path.Combine(outDir, $"streaming-720p30-{clipSeconds}s.mp4");
        if (File.Exists(clip))
        {
            return clip;
        }

        var part = clipSeconds / 4.0;
        string Source(string filter) => FormattableString.Invariant($"{filter}=size=1280x720:rate=30:duration={part}");
        BenchSupport.Run("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", Source("testsrc2"),
            "-f", "lavfi", "-i", Source("smptehdbars"),
            "-f", "lavfi", "-i", Source("rgbtestsrc"),
            "-f", "lavfi", "-i", Source("testsrc2"),
            "-filter_complex", "[3:v]hue=h=150[d];[0:v][1:v][2:v][d]concat=n=4:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-movflags", "+faststart", clip]);
        return clip;
    }

    private static async Task<(long Frames, double Seconds)> IngestAsync(string clip, FrameGeometry geometry)
    {
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = SampleFps, Geometry = geometry });
        var watch = Stopwatch.StartNew();
        long frames = 0;
        await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(clip)))
        {
            frame.Dispose();
            frames++;
        }

        return (frames, watch.Elapsed.TotalSeconds);
    }

    private static async Task<(long Frames, double Seconds)> PipelineAsync(string clip, LoadedModelSet set)
    {
        var pipeline = new StreamPipeline(set, new PipelineOptions { SampleFps = SampleFps });
        var watch = Stopwatch.StartNew();
        PipelineSummary? summary = null;
        await foreach (var item in pipeline.RunAsync(MediaSource.FromFile(clip)))
        {
            if (item is PipelineSummary s)
            {
                summary = s;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return (summary?.Frames ?? throw new InvalidOperationException("The pipeline ended without a summary."), seconds);
    }

    private static async Task<(long Frames, double Seconds)> DaemonAsync(string clip, V2AStreamApi.V2AStreamClient client)
    {
        var watch = Stopwatch.StartNew();
        StreamSummary? summary = null;
        using var call = client.Generate();
        var sending = Task.Run(async () =>
        {
            await foreach (var request in Requests(clip))
            {
                await call.RequestStream.WriteAsync(request);
            }

            await call.RequestStream.CompleteAsync();
        });
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            if (response.EventCase == GenerateResponse.EventOneofCase.Summary)
            {
                summary = response.Summary;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await sending;
        return ((long)(summary?.FramesDecoded ?? throw new InvalidOperationException("The daemon's stream ended without a summary.")), seconds);
    }

    private static async IAsyncEnumerable<GenerateRequest> Requests(string clip)
    {
        yield return new GenerateRequest { Config = new StreamConfig { Scenes = new SceneConfig { SampleFps = SampleFps } } };
        await using var input = File.OpenRead(clip);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(buffer)) > 0)
        {
            yield return new GenerateRequest { Media = ByteString.CopyFrom(buffer, 0, read) };
        }
    }

    private async Task<DaemonProcess> StartDaemonAsync()
    {
        var dll = Path.Combine(root, "src", "V2AStream", "bin", "Release", "net10.0", "v2a.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build it first (dotnet build src/V2AStream -c Release, or ./v2a doctor).");
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var startInfo = new ProcessStartInfo("dotnet", [dll, "serve", "--listen", $"127.0.0.1:{port}", "--health-listen", "", "--model-set", "builtin"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DaemonProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new V2AStreamApi.V2AStreamClient(channel);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.GetInfoAsync(new GetInfoRequest());
                return server;
            }
            catch (Exception ex) when (ex is HttpRequestException or RpcException && watch.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>`v2a serve` as a child: stopped with SIGTERM (graceful drain), killed if it has not exited after a few seconds.</summary>
    private sealed class DaemonProcess(Process process, Uri address) : IDisposable
    {
        public Uri Address => address;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    kill.WaitForExit();
                }

                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }
            }

            process.Dispose();
        }
    }
}
