using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Cli.Progress;
using V2AStream.Client;
using V2AStream.Core.Files;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Daemon;
using V2AStream.Onnx;
using V2AStream.Protos.V1;
using V2AStream.Running;
using GenerationMode = V2AStream.Core.Pipeline.GenerationMode;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a run FILE|URL|- -o out.wav|- [--format] [--sample-rate] [--channels] [--mux out.mp4]</c>: the whole pipeline in
/// this process, no daemon, with the output options of <c>stream</c>: the audio goes to a file or stdout, scenes and
/// the summary to stderr (or JSON Lines on stdout), optionally muxed into a copy of the video. Interrupted, it keeps
/// the audio made so far, as <c>stream</c> does.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file, a URL (http/https/hls, rtmp, rtsp, srt, udp), or - for stdin." };
        var output = CommonOptions.Out("Where the audio goes: a file, or - for stdout.");
        var format = CommonOptions.Format();
        var sampleRate = CommonOptions.SampleRate();
        var channels = CommonOptions.Channels();
        var mux = new Option<string?>("--mux") { Description = "Also write this video file: the input's video with the generated audio (file input and --out FILE with --format wav only).", HelpName = "FILE" };
        var modelSet = new Option<string>("--model-set") { Description = "builtin, a set name under models/ (e.g. mobilenet), or a model-set folder.", DefaultValueFactory = _ => ModelSetManifest.BuiltinName };
        var mode = CommonOptions.Mode("quality: each block hears its own frames; live: lowest latency.", "quality");
        var fps = new Option<double>("--fps") { Description = "Frames sampled per second of video, 1 to 30.", DefaultValueFactory = _ => 4 };
        var seed = new Option<long>("--seed") { Description = "Same seed, same input, same model set: same audio.", DefaultValueFactory = _ => 0 };
        var detector = new ChoiceOption<SceneDetectorKind>("--detector", "Scene detector (a stream needs the incremental one).", [("robust", SceneDetectorKind.Robust)], "robust");
        var json = CommonOptions.Json("Print each scene and the summary as JSON Lines on stdout ({\"scene\": ...}, then {\"summary\": ...}).");
        var device = DeviceOption.Create();
        var command = new Command("run", "Generate audio for a video in this process, without a daemon.")
        {
            input, output, format, sampleRate, channels, mux, modelSet, mode, fps, seed, detector, json, device,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var inputValue = parseResult.GetValue(input)!;
            var outPath = parseResult.GetValue(output)!;
            var muxPath = parseResult.GetValue(mux);
            var formatName = format.ValueOf(parseResult);
            var generationMode = mode.ValueOf(parseResult)!.Value;
            var printJson = parseResult.GetValue(json);

            // The audio goes to a file, not a player: nothing to pace.
            var options = new PipelineOptions { Mode = generationMode, SampleFps = parseResult.GetValue(fps), Seed = parseResult.GetValue(seed), LiveJitterBuffer = null, LowDelayDecode = generationMode == GenerationMode.Live };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                throw new CliUsageException(string.Join(" ", problems).Replace("sample_fps", "--fps", StringComparison.Ordinal));
            }

            AudioOutputUsage.Check(inputValue, outPath, formatName, muxPath, printJson);

            var source = SourceArgument.Parse(inputValue);
            var audioFormat = new AudioOutputFormat(AudioEncoding.PcmF32Le, sampleRate.ValueOf(parseResult), channels.ValueOf(parseResult), options.ChunkMilliseconds);
            var detectorOptions = new SceneDetectorOptions { Detector = detector.ValueOf(parseResult), FramesPerSecond = options.SampleFps };
            using var muxFile = muxPath is null ? null : OutputFile.Create(muxPath);
            var sink = AudioSink.Open(outPath, formatName);
            LocalRunResult result;
            string modelSetName;
            await using (sink.ConfigureAwait(false))
            {
                try
                {
                    var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = parseResult.GetValue(device)! });
                    var set = await loader.LoadAsync(parseResult.GetValue(modelSet)!, ModelPartSlot.Pipeline, cancellationToken).ConfigureAwait(false);
                    await using var loaded = set.ConfigureAwait(false);
                    modelSetName = set.Name;
                    var length = await MediaLength.ForDisplayAsync(source, stderr, printJson, cancellationToken).ConfigureAwait(false);
                    result = await TerminalProgress.RunAsync(stderr, printJson, ProgressKind.MediaSeconds, "generating", length, progress =>
                    {
                        var run = new LocalRun(set, options, detectorOptions, NullLoggerFactory.Instance, TimeProvider.System)
                        {
                            OnEvent = item =>
                            {
                                switch (item)
                                {
                                    case PipelineProgress step:
                                        progress.Report(step.MediaSeconds);
                                        break;
                                    case SceneUpdate scene when printJson:
                                        stdout.WriteLine(CliJson.Event("scene", SceneJson.From(scene)));
                                        break;
                                    case SceneUpdate scene:
                                        progress.WriteLine(SceneLine(scene));
                                        break;
                                }
                            },
                        };
                        return run.RunAsync(source, sink, audioFormat, cancellationToken);
                    }).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await stderr.WriteLineAsync(Interrupted.KeepAudio(sink, outPath, muxPath)).ConfigureAwait(false);
                    throw;
                }
                catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or SceneDetectionException or IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }
            }

            try
            {
                if (muxFile is not null)
                {
                    await new FfmpegTool().MuxAsync(inputValue, outPath, muxFile.TemporaryPath, cancellationToken).ConfigureAwait(false);
                    muxFile.Commit();
                }
            }
            catch (MediaException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var summary = Summary(result, inputValue, outPath, muxPath, modelSetName, generationMode, audioFormat);
            if (printJson)
            {
                await stdout.WriteLineAsync(CliJson.Event("summary", summary)).ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync(summary.Line()).ConfigureAwait(false);
            }

            foreach (var warning in StreamReport.Warnings(result.Summary.InputEndedEarly, result.Summary.TimestampDiscontinuities))
            {
                await stderr.WriteLineAsync(warning).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"scene 1      3.00 s -    6.00 s  (cut score 4.2)", the same line the stream client prints.</summary>
    public static string SceneLine(SceneUpdate scene) => StreamReport.SceneLine(StreamRunner.ToSceneEvent(scene));

    private static RunSummary Summary(LocalRunResult result, string source, string outPath, string? muxPath, string modelSet, GenerationMode mode, AudioOutputFormat format)
    {
        var summary = result.Summary;
        return new RunSummary(
            source,
            outPath,
            muxPath,
            modelSet,
            mode == GenerationMode.Live ? "live" : "quality",
            summary.MediaSeconds,
            summary.Frames,
            summary.Scenes,
            summary.Blocks,
            result.FramesWritten,
            format.SampleRate,
            format.Channels,
            summary.RealTimeFactor,
            result.TimeToFirstAudio.TotalSeconds,
            result.ChunkLatency.Count == 0 ? 0 : result.ChunkLatency.Mean,
            result.ChunkLatency.Count == 0 ? 0 : result.ChunkLatency.Max,
            summary.TimestampDiscontinuities,
            summary.InputEndedEarly);
    }
}
