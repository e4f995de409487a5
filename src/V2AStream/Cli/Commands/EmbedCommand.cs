using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using V2AStream.Cli.Progress;
using V2AStream.Core.Embedding;
using V2AStream.Core.Files;
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
        var output = CommonOptions.Out("The .npy file to write (float32 [frames, dim]); emb.json goes beside it (emb.npy -> emb.json).");
        var json = CommonOptions.Json("Print the summary (the same object as emb.json) on stdout as JSON.");
        var device = DeviceOption.Create();
        var command = new Command("embed", "Embed a video's frames with a model set's embedder.") { input, modelSet, fps, output, json, device };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var sampleFps = parseResult.GetValue(fps);
            if (!(sampleFps >= FrameReaderOptions.MinSampleFps && sampleFps <= FrameReaderOptions.MaxSampleFps))
            {
                throw new CliUsageException($"--fps must be between {FrameReaderOptions.MinSampleFps} and {FrameReaderOptions.MaxSampleFps}.");
            }

            var source = SourceArgument.Parse(parseResult.GetValue(input)!);
            var outPath = parseResult.GetValue(output)!;
            if (EmbeddingSidecar.PathFor(outPath) == Path.GetFullPath(outPath))
            {
                throw new CliUsageException($"--out '{outPath}' would be overwritten by its own .json: name a .npy file.");
            }

            // Both files are checked now and appear together at the end; an interrupted or failed run leaves neither.
            using var npy = OutputFile.Create(outPath);
            using var sidecar = OutputFile.Create(EmbeddingSidecar.PathFor(outPath));
            try
            {
                return await RunAsync(source, parseResult.GetValue(modelSet)!, parseResult.GetValue(device)!, sampleFps, npy, sidecar, parseResult.GetValue(json), stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(MediaSource source, string modelSetName, OrtDevice device, double fps, OutputFile npy, OutputFile sidecar, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
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

        var started = TimeProvider.System.GetTimestamp();
        var result = await TerminalProgress.RunAsync(stderr, json, ProgressKind.MediaSeconds, "embedding", probe?.DurationSeconds, progress =>
            VideoEmbeddings.EmbedAsync(source, new FrameReader(options), embedder, new CallbackProgress<double>(seconds => progress.Report(seconds)), cancellationToken)).ConfigureAwait(false);
        var warning = result.Damage?.Message;
        if (warning is not null)
        {
            await stderr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var timestamps = result.Timestamps;
        var frames = timestamps.Count;
        await result.Embeddings.WriteFileAsync(npy.TemporaryPath, CancellationToken.None).ConfigureAwait(false);
        var summary = new EmbeddingSidecar(
            source.Location,
            npy.Path,
            set.Name,
            embedder.Name,
            embedder.Dim,
            fps,
            frames,
            new EmbeddingSidecar.FrameGeometry(embedder.Geometry.Resize.ToString().ToLowerInvariant(), embedder.Geometry.Width, embedder.Geometry.Height),
            timestamps,
            probe,
            warning);
        await File.WriteAllTextAsync(sidecar.TemporaryPath, JsonSerializer.Serialize(summary, CliJson.Options), CancellationToken.None).ConfigureAwait(false);
        npy.Commit();
        sidecar.Commit();

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, CliJson.Options)).ConfigureAwait(false);
        }
        else
        {
            var media = frames / fps;
            var seconds = Math.Max(1e-3, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {frames} x {embedder.Dim} embeddings ({set.Name}, {fps} fps, {media:F1} s of video in {seconds:F1} s: {media / seconds:F1}x real time) to {npy.Path} and {sidecar.Path}")).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
