using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using V2AStream.Cli.Progress;
using V2AStream.Core.Embedding;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Core.Training;
using V2AStream.Onnx;
using V2AStream.Soak;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a dataset VIDEOS... --model-set SET --out DIR [--segments scenes|whole] [--min-segment 2s] [--detector
/// robust|paper] [--tau 5] [--fps 4] [--device cpu|cuda[:N]] [--json]</c>: makes a mapper training dataset (clip.npy,
/// clap.npy, segments.json) from videos with the set's embedder and its audio_embedder (models/README.md). A progress
/// bar on a terminal, then a summary with every skipped video and why. Resumable: a rerun with the same --out skips the
/// videos its journal has. Cancelled, it exits 130 and keeps the videos finished so far in the journal.
/// </summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var defaults = new DatasetBuildSettings { ModelSet = string.Empty, Embedder = string.Empty, AudioEmbedder = string.Empty };
        var videos = new Argument<string[]>("videos") { Description = "Video files with sound (e.g. VGGSound clips); a video without audio or that cannot be read is skipped and listed.", Arity = ArgumentArity.OneOrMore };
        var modelSet = new Option<string>("--model-set") { Description = "The set whose embedder makes clip.npy and whose audio_embedder (CLAP's audio tower) makes clap.npy: a set name under models/ or a model-set folder.", Required = true };
        var output = new Option<string>("--out") { Description = "The dataset folder (created); its dataset-journal.jsonl lets a rerun skip the videos already done.", Required = true };
        var segments = new Option<string>("--segments") { Description = "scenes: one row per scene the detector finds; whole: one row per video.", DefaultValueFactory = _ => defaults.Segments };
        segments.AcceptOnlyFromAmong(DatasetBuildSettings.ScenesSegmentation, DatasetBuildSettings.WholeSegmentation);
        var minSegment = new Option<string>("--min-segment") { Description = "Segments shorter than this are dropped (2s, 1500ms, or plain seconds).", DefaultValueFactory = _ => "2s" };
        var detector = new Option<string>("--detector") { Description = "robust (the daemon's detector) or paper (the seed formula).", DefaultValueFactory = _ => defaults.Detector };
        var tau = new Option<double>("--tau") { Description = "The detector's threshold in sigmas.", DefaultValueFactory = _ => defaults.Tau };
        var fps = new Option<double>("--fps") { Description = "Frames sampled per second, 1 to 30: the rate the daemon embeds at (4 unless its streams ask otherwise).", DefaultValueFactory = _ => new PipelineOptions().SampleFps };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var device = DeviceOption.Create();
        var command = new Command("dataset", "Make a mapper training dataset from videos: per scene, the mean frame embedding and the CLAP embedding of its sound.")
        {
            videos, modelSet, output, segments, minSegment, detector, tau, fps, device, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            if (!DurationText.TryParse(parseResult.GetValue(minSegment), out var minimum) || minimum < TimeSpan.Zero)
            {
                await stderr.WriteLineAsync($"error: --min-segment '{parseResult.GetValue(minSegment)}' is not a duration: use e.g. 2s, 1500ms or 2.").ConfigureAwait(false);
                return 2;
            }

            var setName = parseResult.GetValue(modelSet)!;
            var asJson = parseResult.GetValue(json);
            var outPath = Path.GetFullPath(parseResult.GetValue(output)!);
            try
            {
                var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = parseResult.GetValue(device)! });
                var set = await loader.LoadAsync(setName, [ModelPartSlot.Embedder, IAudioEmbedder.Slot], cancellationToken).ConfigureAwait(false);
                await using var loaded = set.ConfigureAwait(false);
                if (!set.TryGet<IAudioEmbedder>(IAudioEmbedder.Slot, out var audioEmbedder))
                {
                    await stderr.WriteLineAsync($"error: model set '{set.Name}' has no {IAudioEmbedder.Slot}: export CLAP's audio tower into it (models/export/export_clap.py audio --out DIR; models/README.md).").ConfigureAwait(false);
                    return 1;
                }

                MapperDatasetBuilder builder;
                try
                {
                    builder = new MapperDatasetBuilder(set.Embedder, audioEmbedder, new DatasetBuildSettings
                    {
                        ModelSet = setName,
                        Embedder = set.Embedder.Name,
                        AudioEmbedder = audioEmbedder.Name,
                        Fps = parseResult.GetValue(fps),
                        Segments = parseResult.GetValue(segments)!,
                        MinSegmentSeconds = minimum.TotalSeconds,
                        Detector = parseResult.GetValue(detector)!.Trim().ToLowerInvariant(),
                        Tau = parseResult.GetValue(tau),
                    });
                }
                catch (TrainingException ex)
                {
                    await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }

                var list = parseResult.GetValue(videos)!;
                var result = await TerminalProgress.RunAsync(stderr, asJson, ProgressKind.Steps, "dataset", list.Length, progress =>
                    builder.BuildAsync(list, outPath, new CallbackProgress<DatasetBuildProgress>(p => progress.Report(p.VideosDone, Describe(p))), cancellationToken)).ConfigureAwait(false);
                await stdout.WriteAsync(asJson ? JsonSerializer.Serialize(Summary.Of(result), CliJson.Options) + "\n" : Summarize(result)).ConfigureAwait(false);
                if (result.Dataset is null)
                {
                    await stderr.WriteLineAsync($"error: no video gave a segment of {minimum.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s or more with sound; nothing was written.").ConfigureAwait(false);
                    return 1;
                }

                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"cancelled: the videos finished so far are in {Path.Combine(outPath, DatasetJournal.FileName)}; run the same command again to go on.").ConfigureAwait(false);
                return 130;
            }
            catch (Exception ex) when (ex is TrainingException or ModelSetException or OrtException or SceneDetectionException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static string Describe(DatasetBuildProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.VideosDone}/{progress.VideosTotal} {Path.GetFileName(progress.Video)} · {progress.Segments} segments");

    private static string Summarize(DatasetBuildResult result)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        var resumed = result.Resumed > 0 ? string.Create(invariant, $", {result.Resumed} of them done by an earlier run") : string.Empty;
        if (result.Dataset is { } dataset)
        {
            text.AppendLine(invariant, $"wrote {dataset.Count} segments ({dataset.Clip.Columns}-d frame means, {dataset.Clap.Columns}-d audio embeddings) from {result.Videos - result.Skipped.Count} of {result.Videos} videos{resumed} to {result.Directory}");
        }
        else
        {
            text.AppendLine(invariant, $"no segments from {result.Videos} videos{resumed}");
        }

        foreach (var skip in result.Skipped)
        {
            text.AppendLine(invariant, $"skipped {skip.Video}: {skip.Reason}");
        }

        return text.ToString();
    }

    private sealed record Summary(string Directory, int Segments, int Videos, int Resumed, int[]? ClipShape, int[]? ClapShape, IReadOnlyList<DatasetSkip> Skipped)
    {
        public static Summary Of(DatasetBuildResult result) => new(
            result.Directory,
            result.Dataset?.Count ?? 0,
            result.Videos,
            result.Resumed,
            result.Dataset is { } d ? [d.Count, d.Clip.Columns] : null,
            result.Dataset is { } e ? [e.Count, e.Clap.Columns] : null,
            result.Skipped);
    }
}
