using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using V2AStream.Cli.Progress;
using V2AStream.Core.Embedding;
using V2AStream.Core.Files;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Scenes;
using V2AStream.Onnx;
using V2AStream.Running;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a scenes VIDEO|URL|-|EMB.npy [--detector robust|paper] [--tau 5] [--fps 4] [--model-set builtin] [--json]
/// [--scores FILE]</c>: finds the scene cuts in a [frames, dimension] float32 array of frame embeddings (frame k at
/// k / fps seconds), or in a video's frames sampled at --fps and embedded by the model set's embedder, and prints the
/// scenes; <c>--scores</c> also writes every boundary's score, threshold and floor, to tune thresholds on data.
/// </summary>
internal static class ScenesCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input")
        {
            Description = "A video file, a URL, - for stdin, or frame embeddings as a .npy float32 [frames, dimension] array.",
        };
        var detector = new ChoiceOption<SceneDetectorKind>(
            "--detector",
            "robust: robust threshold, minimum scene length, streaming; paper: the seed formula.",
            [("robust", SceneDetectorKind.Robust), ("paper", SceneDetectorKind.Paper)],
            "robust");
        var tau = new Option<double>("--tau")
        {
            Description = "Threshold in sigmas: paper dS > tau * std(dS); robust score > median + tau * 1.4826 * MAD.",
            DefaultValueFactory = _ => 5.0,
        };
        var fps = new Option<double>("--fps")
        {
            Description = "Video: frames sampled per second, 1 to 30. .npy: the rate the embeddings were sampled at (frame k sits at k / fps); read from the emb.json 'v2a embed' wrote beside it when there is one.",
            DefaultValueFactory = _ => 4.0,
        };
        var window = new Option<double>("--window")
        {
            Description = "Robust: sliding window in seconds.",
            DefaultValueFactory = _ => new SceneDetectorOptions().WindowSeconds,
        };
        var lookahead = new Option<int>("--lookahead")
        {
            Description = "Robust: frames seen after a cut before it is final.",
            DefaultValueFactory = _ => new SceneDetectorOptions().LookaheadFrames,
        };
        var minScene = new Option<double>("--min-scene")
        {
            Description = "Robust: minimum scene length in seconds.",
            DefaultValueFactory = _ => new SceneDetectorOptions().MinSceneSeconds,
        };
        var modelSet = new Option<string>("--model-set")
        {
            Description = "Video: whose embedder embeds the frames: builtin, a set name under models/ (e.g. mobilenet), or a model-set folder.",
            DefaultValueFactory = _ => ModelSetManifest.BuiltinName,
        };
        var json = CommonOptions.Json("Print {fps, frames, cuts, scenes} as JSON (each scene as run and stream --json show it).");
        var scores = new Option<string?>("--scores")
        {
            Description = "Also write every boundary's decision here: CSV when FILE ends in .csv, otherwise JSON lines (frame, time_s, score, threshold, floor, change, min_change, cut).",
        };

        var command = new Command("scenes", "Find scene cuts in a video or in frame embeddings and print the scenes.")
        {
            input, detector, tau, fps, window, lookahead, minScene, modelSet, json, scores,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            SceneDetectorOptions options;
            try
            {
                options = new SceneDetectorOptions
                {
                    Detector = detector.ValueOf(parseResult),
                    Tau = parseResult.GetValue(tau),
                    FramesPerSecond = parseResult.GetValue(fps),
                    WindowSeconds = parseResult.GetValue(window),
                    LookaheadFrames = parseResult.GetValue(lookahead),
                    MinSceneSeconds = parseResult.GetValue(minScene),
                };
                options.Validate();
            }
            catch (SceneDetectionException e)
            {
                throw new CliUsageException(e.Message);
            }

            var source = parseResult.GetValue(input)!;
            var isNpy = source.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
            var printJson = parseResult.GetValue(json);
            if (!isNpy && options.FramesPerSecond is < FrameReaderOptions.MinSampleFps or > FrameReaderOptions.MaxSampleFps)
            {
                throw new CliUsageException($"--fps must be {FrameReaderOptions.MinSampleFps} to {FrameReaderOptions.MaxSampleFps} frames per second for a video, got {options.FramesPerSecond}.");
            }

            MediaSource? video = null;
            if (isNpy)
            {
                InputFile.Require(source);
            }
            else
            {
                video = SourceArgument.Parse(source);
            }

            // Checked before any work; the file appears only when detection is done.
            using var scoresFile = parseResult.GetValue(scores) is { } scoresPath ? OutputFile.Create(scoresPath) : null;
            try
            {
                NpyArray embeddings;
                if (video is null)
                {
                    (embeddings, options) = await LoadEmbeddingsAsync(source, options, parseResult.GetResult(fps) is { Implicit: false }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    embeddings = await EmbedVideoAsync(video, parseResult.GetValue(modelSet)!, options.FramesPerSecond, error, printJson, cancellationToken).ConfigureAwait(false);
                }

                var result = SceneDetectors.Create(options).Detect(embeddings.Data, embeddings.Columns);
                if (scoresFile is not null)
                {
                    await BoundaryScoresFile.WriteAsync(scoresFile, result.Boundaries, cancellationToken).ConfigureAwait(false);
                }

                await output.WriteAsync(printJson ? FormatJson(result) : FormatText(result, options.Detector)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is NpyFormatException or SceneDetectionException or MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"error: {source}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>
    /// The frames of <paramref name="source"/> sampled at <paramref name="framesPerSecond"/> and embedded by the model
    /// set's embedder, in frame order. A truncated or damaged input keeps the frames read before the damage, with a warning.
    /// </summary>
    private static async Task<NpyArray> EmbedVideoAsync(MediaSource source, string modelSetName, double framesPerSecond, TextWriter error, bool json, CancellationToken cancellationToken)
    {
        var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(modelSetName, [ModelPartSlot.Embedder], cancellationToken).ConfigureAwait(false);
        await using var loaded = set.ConfigureAwait(false);
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = framesPerSecond, Geometry = set.Embedder.Geometry });
        var length = await MediaLength.ForDisplayAsync(source, error, json, cancellationToken).ConfigureAwait(false);
        var result = await TerminalProgress.RunAsync(error, json, ProgressKind.MediaSeconds, "embedding", length, progress =>
            VideoEmbeddings.EmbedAsync(source, reader, set.Embedder, new CallbackProgress<double>(seconds => progress.Report(seconds)), cancellationToken)).ConfigureAwait(false);
        if (result.Damage is { } damage)
        {
            await error.WriteLineAsync($"warning: {damage.Message}").ConfigureAwait(false);
        }

        return result.Embeddings;
    }

    /// <summary>
    /// The embeddings in a .npy file, and the detector options with the frame rate its sidecar (emb.json, from
    /// <c>v2a embed</c>) records: an explicit --fps that contradicts it is a usage error, and a sidecar whose frame count
    /// is not the array's belongs to another file.
    /// </summary>
    private static async Task<(NpyArray Embeddings, SceneDetectorOptions Options)> LoadEmbeddingsAsync(string path, SceneDetectorOptions options, bool fpsGiven, CancellationToken cancellationToken)
    {
        var clock = await EmbeddingSidecar.ReadClockAsync(path, cancellationToken).ConfigureAwait(false);
        if (clock is { } recorded && fpsGiven && Math.Abs(recorded.Fps - options.FramesPerSecond) > 1e-9)
        {
            throw new CliUsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path} was sampled at {recorded.Fps} fps ({EmbeddingSidecar.PathFor(path)} says so), not {options.FramesPerSecond}: leave out --fps, or give --fps {recorded.Fps}."));
        }

        var embeddings = await NpyArray.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (clock is not { } sidecar)
        {
            return (embeddings, options);
        }

        if (sidecar.Frames != embeddings.Rows)
        {
            throw new InvalidDataException($"{EmbeddingSidecar.PathFor(path)} describes {sidecar.Frames} frames but the .npy holds {embeddings.Rows} rows: it belongs to another file; remove it, or embed again.");
        }

        return (embeddings, options with { FramesPerSecond = sidecar.Fps });
    }

    /// <summary>{"fps", "frames", "cuts": [{"frame", "time_s", "score"}], "scenes": [<see cref="SceneJson"/>]}.</summary>
    private static string FormatJson(SceneDetectionResult result)
    {
        var cuts = result.Cuts.Select(c => new CutJson(c.Frame, c.TimeSeconds, c.Score)).ToList();
        var scenes = result.Scenes.Select((scene, i) => SceneJson.From(i, scene, i == 0 ? 0 : result.Cuts[i - 1].Score)).ToList();
        return JsonSerializer.Serialize(new ScenesJson(result.FramesPerSecond, result.FrameCount, cuts, scenes), CliJson.Options) + "\n";
    }

    private static string FormatText(SceneDetectionResult result, SceneDetectorKind detector)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{result.Scenes.Count} scenes in {result.FrameCount} frames at {result.FramesPerSecond} fps ({detector.ToString().ToLowerInvariant()} detector)");
        text.AppendLine("scene  frames         seconds              cut score");
        for (var i = 0; i < result.Scenes.Count; i++)
        {
            var scene = result.Scenes[i];
            var score = i == 0 ? "-" : result.Cuts[i - 1].Score.ToString("0.###", invariant);
            text.AppendLine(invariant, $"{i,5}  {scene.StartFrame,6}-{scene.EndFrame,-6}  {scene.StartSeconds,8:0.000}-{scene.EndSeconds,-9:0.000}  {score}");
        }

        return text.ToString();
    }

    private sealed record CutJson(int Frame, double TimeS, double Score);

    private sealed record ScenesJson(double Fps, int Frames, IReadOnlyList<CutJson> Cuts, IReadOnlyList<SceneJson> Scenes);
}
