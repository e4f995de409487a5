using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Daemon;
using V2AStream.Onnx;
using V2AStream.Running;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a run FILE|URL|- --out out.wav [--mux out.mp4]</c>: the whole pipeline in this process, no daemon:
/// scenes are printed as they are decided, the audio goes to a WAV file, and optionally into a copy of the video.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file, a URL (http/https/hls, rtmp, rtsp, srt, udp), or - for stdin." };
        var output = new Option<string>("--out") { Description = "The WAV file to write (16 kHz mono, 16-bit).", Required = true };
        var mux = new Option<string?>("--mux") { Description = "Also write this video file: the input's video with the generated audio (file input only)." };
        var modelSet = new Option<string>("--model-set") { Description = "builtin, a set name under models/ (e.g. mobilenet), or a model-set folder.", DefaultValueFactory = _ => ModelSetManifest.BuiltinName };
        var mode = new Option<GenerationMode>("--mode") { Description = "quality: each block hears its own frames; live: lowest latency.", DefaultValueFactory = _ => GenerationMode.Quality };
        var fps = new Option<double>("--fps") { Description = "Frames sampled per second of video, 1 to 30.", DefaultValueFactory = _ => 4 };
        var seed = new Option<long>("--seed") { Description = "Same seed, same input, same model set: same audio.", DefaultValueFactory = _ => 0 };
        var detector = new Option<string>("--detector") { Description = "Scene detector for streams: robust.", DefaultValueFactory = _ => "robust" };
        var json = new Option<bool>("--json") { Description = "Print the scenes and the summary as JSON." };
        var device = DeviceOption.Create();
        var command = new Command("run", "Generate audio for a video in this process, without a daemon.") { input, output, mux, modelSet, mode, fps, seed, detector, json, device };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var inputValue = parseResult.GetValue(input)!;
            var muxPath = parseResult.GetValue(mux);
            var generationMode = parseResult.GetValue(mode);

            // The audio goes to a file, not a player: nothing to pace.
            var options = new PipelineOptions { Mode = generationMode, SampleFps = parseResult.GetValue(fps), Seed = parseResult.GetValue(seed), LiveJitterBuffer = null, LowDelayDecode = generationMode == GenerationMode.Live };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                await stderr.WriteLineAsync($"error: {string.Join(" ", problems)}").ConfigureAwait(false);
                return 2;
            }

            if (muxPath is not null && inputValue == "-")
            {
                await stderr.WriteLineAsync("error: --mux needs the video again, so it works with a file input, not stdin.").ConfigureAwait(false);
                return 2;
            }

            try
            {
                var detectorOptions = new SceneDetectorOptions { Detector = SceneDetectors.ParseKind(parseResult.GetValue(detector)!), FramesPerSecond = options.SampleFps };
                var source = SourceArgument.Parse(inputValue);
                var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = parseResult.GetValue(device)! });
                var set = await loader.LoadAsync(parseResult.GetValue(modelSet)!, cancellationToken).ConfigureAwait(false);
                await using var loaded = set.ConfigureAwait(false);
                var printJson = parseResult.GetValue(json);
                var run = new LocalRun(set, options, detectorOptions, NullLoggerFactory.Instance, TimeProvider.System)
                {
                    OnEvent = printJson ? null : item =>
                    {
                        if (item is SceneUpdate scene)
                        {
                            stdout.WriteLine(SceneLine(scene));
                        }
                    },
                };
                var outPath = parseResult.GetValue(output)!;
                var result = await run.RunAsync(source, outPath, cancellationToken).ConfigureAwait(false);
                if (muxPath is not null)
                {
                    await new FfmpegTool().MuxAsync(inputValue, outPath, muxPath, cancellationToken).ConfigureAwait(false);
                }

                if (printJson)
                {
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(ToJson(result, set.Name, outPath, muxPath), CliJson.Options)).ConfigureAwait(false);
                }
                else
                {
                    await stdout.WriteLineAsync(SummaryLine(result, outPath, muxPath)).ConfigureAwait(false);
                }

                foreach (var warning in StreamReport.Warnings(result.Summary.InputEndedEarly, result.Summary.TimestampDiscontinuities))
                {
                    await stderr.WriteLineAsync(warning).ConfigureAwait(false);
                }

                return 0;
            }
            catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or SceneDetectionException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>"scene 1      3.00 s -    6.00 s  (cut score 4.2)", the same line the stream client prints.</summary>
    public static string SceneLine(SceneUpdate scene) => StreamReport.SceneLine(StreamRunner.ToSceneEvent(scene));

    public static string SummaryLine(LocalRunResult result, string wavPath, string? muxPath)
    {
        var summary = result.Summary;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Scenes} scenes, {summary.MediaSeconds:F2} s of media -> {summary.Samples} samples at {summary.SampleRate} Hz in {wavPath}{(muxPath is null ? string.Empty : $" and {muxPath}")}; {summary.RealTimeFactor:F1}x real time");
    }

    private static object ToJson(LocalRunResult result, string modelSet, string wavPath, string? muxPath) => new
    {
        model_set = modelSet,
        wav = wavPath,
        mp4 = muxPath,
        frames = result.Summary.Frames,
        duration_s = result.Summary.MediaSeconds,
        samples = result.Summary.Samples,
        sample_rate = result.Summary.SampleRate,
        blocks = result.Summary.Blocks,
        realtime_factor = result.Summary.RealTimeFactor,
        timestamp_discontinuities = result.Summary.TimestampDiscontinuities,
        input_ended_early = result.Summary.InputEndedEarly,
        time_to_first_audio_s = result.TimeToFirstAudio.TotalSeconds,
        scenes = result.Scenes.Select(s => new { index = s.SceneIndex, start_frame = s.StartFrame, end_frame = s.EndFrameExclusive - 1, start_s = s.StartSeconds, end_s = s.EndSeconds, score = s.Score, labels = s.Labels }),
    };
}
