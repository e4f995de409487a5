using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Running;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a embed VIDEO|URL|- [--model-set builtin|mobilenet|DIR] [--fps 4] --out emb.npy [--json]</c>: frame embeddings
/// as a float32 .npy [T, D] plus emb.json beside it (model set, fps, per-frame timestamps, the source probe).
/// </summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file, a URL (http/https/hls, rtmp, rtsp, srt, udp), or - for stdin (e.g. ffmpeg ... -f mpegts - | v2a embed -)." };
        var modelSet = new Option<string>("--model-set") { Description = "builtin, a set name under models/ (e.g. mobilenet), or a model-set folder.", DefaultValueFactory = _ => ModelSetManifest.BuiltinName };
        var fps = new Option<double>("--fps") { Description = "Frames sampled per second of video, 1 to 30.", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--out") { Description = "The .npy file to write (float32 [frames, dim]); emb.json goes beside it.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable summary on stdout." };
        var device = DeviceOption.Create();
        var command = new Command("embed", "Embed a video's frames with a model set's embedder.") { input, modelSet, fps, output, json, device };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var sampleFps = parseResult.GetValue(fps);
            if (!(sampleFps >= FrameReaderOptions.MinSampleFps && sampleFps <= FrameReaderOptions.MaxSampleFps))
            {
                await stderr.WriteLineAsync($"error: --fps must be between {FrameReaderOptions.MinSampleFps} and {FrameReaderOptions.MaxSampleFps}.").ConfigureAwait(false);
                return 2;
            }

            MediaSource source;
            try
            {
                source = SourceArgument.Parse(parseResult.GetValue(input)!);
            }
            catch (ArgumentException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message.Split(" (Parameter", 2)[0]}").ConfigureAwait(false);
                return 2;
            }

            try
            {
                return await RunAsync(source, parseResult.GetValue(modelSet)!, parseResult.GetValue(device)!, sampleFps, parseResult.GetValue(output)!, parseResult.GetValue(json), stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(MediaSource source, string modelSetName, OrtDevice device, double fps, string outPath, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = device });
        var set = await loader.LoadAsync(modelSetName, [ModelPartSlot.Embedder], cancellationToken).ConfigureAwait(false);
        await using var loaded = set.ConfigureAwait(false);
        var embedder = set.Embedder;
        var options = new FrameReaderOptions { SampleFps = fps, Geometry = embedder.Geometry };
        var probe = await new MediaProber(options).ProbeAsync(source, cancellationToken).ConfigureAwait(false);
        if (probe is { HasVideo: false })
        {
            throw new MediaException(MediaErrorReason.NoVideoStream, $"{source.Location} has no video stream. Give a file or stream with video.", source.Location);
        }

        var result = await VideoEmbeddings.EmbedAsync(source, new FrameReader(options), embedder, cancellationToken).ConfigureAwait(false);
        var warning = result.Damage?.Message;
        if (warning is not null)
        {
            await stderr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var timestamps = result.Timestamps;
        var frames = timestamps.Count;
        var fullOut = Path.GetFullPath(outPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullOut)!);
        await result.Embeddings.WriteFileAsync(fullOut, cancellationToken).ConfigureAwait(false);
        var jsonPath = Path.ChangeExtension(fullOut, ".json");
        var summary = new EmbedSummary(
            source.Location,
            fullOut,
            set.Name,
            embedder.Name,
            embedder.Dim,
            fps,
            frames,
            new GeometrySummary(embedder.Geometry.Resize.ToString().ToLowerInvariant(), embedder.Geometry.Width, embedder.Geometry.Height),
            timestamps,
            probe,
            warning);
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(summary, CliJson.Options), cancellationToken).ConfigureAwait(false);

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, CliJson.Options)).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {frames} x {embedder.Dim} embeddings ({set.Name}, {fps} fps) to {fullOut} and {jsonPath}")).ConfigureAwait(false);
        }

        return 0;
    }

    private sealed record GeometrySummary(string Resize, int Width, int Height);

    private sealed record EmbedSummary(
        string Source,
        string Npy,
        string ModelSet,
        string Embedder,
        int Dim,
        double Fps,
        int Frames,
        GeometrySummary Geometry,
        IReadOnlyList<double> Timestamps,
        ProbeInfo? Probe,
        string? Warning);
}
