using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using V2AStream.Core.Embedding;
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
        var detector = new Option<string>("--detector")
        {
            Description = "robust (default: robust threshold, minimum scene length, streaming) or paper (the seed formula).",
            DefaultValueFactory = _ => "robust",
        };
        var tau = new Option<double>("--tau")
        {
            Description = "Threshold in sigmas: paper dS > tau * std(dS); robust score > median + tau * 1.4826 * MAD.",
            DefaultValueFactory = _ => 5.0,
        };
        var fps = new Option<double>("--fps")
        {
            Description = "Video: frames sampled per second, 1 to 30. .npy: the rate the embeddings were sampled at (frame k sits at k / fps).",
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
        var json = new Option<bool>("--json") { Description = "Print {fps, frames, cuts, scenes} as JSON." };
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
                    Detector = SceneDetectors.ParseKind(parseResult.GetValue(detector)!),
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
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var source = parseResult.GetValue(input)!;
            var isNpy = source.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
            if (!isNpy && options.FramesPerSecond is < FrameReaderOptions.MinSampleFps or > FrameReaderOptions.MaxSampleFps)
            {
                await error.WriteLineAsync(
                    $"error: --fps must be {FrameReaderOptions.MinSampleFps} to {FrameReaderOptions.MaxSampleFps} frames per second for a video, got {options.FramesPerSecond}.").ConfigureAwait(false);
                return 2;
            }

            MediaSource? video = null;
            try
            {
                video = isNpy ? null : SourceArgument.Parse(source);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            try
            {
                var embeddings = video is null
                    ? await LoadEmbeddingsAsync(source, cancellationToken).ConfigureAwait(false)
                    : await EmbedVideoAsync(video, parseResult.GetValue(modelSet)!, options.FramesPerSecond, error, cancellationToken).ConfigureAwait(false);
                var result = SceneDetectors.Create(options).Detect(embeddings.Data, embeddings.Columns);
                if (parseResult.GetValue(scores) is { } scoresPath)
                {
                    await BoundaryScoresFile.WriteAsync(scoresPath, result.Boundaries, cancellationToken).ConfigureAwait(false);
                }

                await output.WriteAsync(parseResult.GetValue(json) ? FormatJson(result) : FormatText(result, options.Detector)).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is NpyFormatException or SceneDetectionException or MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {source}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// The frames of <paramref name="source"/> sampled at <paramref name="framesPerSecond"/> and embedded by the model
    /// set's embedder, in frame order. A truncated or damaged input keeps the frames read before the damage, with a warning.
    /// </summary>
    private static async Task<NpyArray> EmbedVideoAsync(MediaSource source, string modelSetName, double framesPerSecond, TextWriter error, CancellationToken cancellationToken)
    {
        var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(modelSetName, [ModelPartSlot.Embedder], cancellationToken).ConfigureAwait(false);
        await using var loaded = set.ConfigureAwait(false);
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = framesPerSecond, Geometry = set.Embedder.Geometry });
        var result = await VideoEmbeddings.EmbedAsync(source, reader, set.Embedder, cancellationToken).ConfigureAwait(false);
        if (result.Damage is { } damage)
        {
            await error.WriteLineAsync($"warning: {damage.Message}").ConfigureAwait(false);
        }

        return result.Embeddings;
    }

    /// <summary>The embeddings in a .npy file.</summary>
    private static async Task<NpyArray> LoadEmbeddingsAsync(string source, CancellationToken cancellationToken)
    {
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"no such file: pass the path of a .npy written by numpy.save or 'v2a embed'.");
        }

        return await NpyArray.ReadFileAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>{"fps":…,"frames":T,"cuts":[{"frame","time_s","score"}],"scenes":[{"start_frame","end_frame","start_s","end_s"}]}.</summary>
    internal static string FormatJson(SceneDetectionResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("fps", result.FramesPerSecond);
            writer.WriteNumber("frames", result.FrameCount);
            writer.WriteStartArray("cuts");
            foreach (var cut in result.Cuts)
            {
                writer.WriteStartObject();
                writer.WriteNumber("frame", cut.Frame);
                writer.WriteNumber("time_s", cut.TimeSeconds);
                writer.WriteNumber("score", cut.Score);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("scenes");
            foreach (var scene in result.Scenes)
            {
                writer.WriteStartObject();
                writer.WriteNumber("start_frame", scene.StartFrame);
                writer.WriteNumber("end_frame", scene.EndFrame);
                writer.WriteNumber("start_s", scene.StartSeconds);
                writer.WriteNumber("end_s", scene.EndSeconds);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
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
}
