using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Demo;
using V2AStream.Onnx;
using V2AStream.Running;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a demo</c>: makes a multi-scene clip from ffmpeg's lavfi sources, generates its audio with the built-in
/// model set, and writes demo.wav and demo.mp4 (the clip with its new sound), printing the scenes and the latency.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out-dir") { Description = "Where to write demo-input.mp4, demo.wav and demo.mp4.", DefaultValueFactory = _ => "demo-out" };
        var command = new Command("demo", "Make a multi-scene clip and give it sound, end to end.") { outDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var directory = Path.GetFullPath(parseResult.GetValue(outDir)!);
            try
            {
                Directory.CreateDirectory(directory);
                var clip = Path.Combine(directory, "demo-input.mp4");
                var wav = Path.Combine(directory, "demo.wav");
                var mp4 = Path.Combine(directory, "demo.mp4");
                var ffmpeg = new FfmpegTool();

                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Making a {DemoClip.DurationSeconds:F0} s clip of {DemoClip.Scenes.Count} scenes from ffmpeg's lavfi sources: {clip}")).ConfigureAwait(false);
                await DemoClip.MakeAsync(ffmpeg, clip, cancellationToken).ConfigureAwait(false);

                await stdout.WriteLineAsync("Generating its audio with the built-in model set, in this process (v2a run); scenes as they are decided:").ConfigureAwait(false);
                using var set = LoadedModelSet.Load(ModelSetManifest.BuiltinName, ModelSetCatalog.CreateDefault());
                var options = new PipelineOptions { Mode = GenerationMode.Quality };
                var run = new LocalRun(set.Components, options, new SceneDetectorOptions { FramesPerSecond = options.SampleFps }, NullLoggerFactory.Instance, TimeProvider.System)
                {
                    OnEvent = item =>
                    {
                        if (item is SceneUpdate scene)
                        {
                            stdout.WriteLine("  " + RunCommand.SceneLine(scene));
                        }
                    },
                };
                var result = await run.RunAsync(MediaSource.FromFile(clip), wav, cancellationToken).ConfigureAwait(false);
                await ffmpeg.MuxAsync(clip, wav, mp4, cancellationToken).ConfigureAwait(false);

                var expected = string.Join(", ", DemoClip.CutSeconds.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)));
                await stdout.WriteLineAsync($"  (the clip's true cuts: {expected} s)").ConfigureAwait(false);
                await stdout.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Latency: first audio after {result.TimeToFirstAudio.TotalSeconds:F2} s; chunk latency p50 {result.ChunkLatency.Percentile(50):F2} s, p99 {result.ChunkLatency.Percentile(99):F2} s (file input, read as fast as it decodes: {result.Summary.RealTimeFactor:F1}x real time)")).ConfigureAwait(false);
                await stdout.WriteLineAsync(RunCommand.SummaryLine(result, wav, mp4)).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
