using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Daemon;
using V2AStream.Demo;
using V2AStream.Diagnostics;
using V2AStream.Hosting;
using V2AStream.Onnx;
using V2AStream.Protos.V1;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a demo</c>: the whole service on one machine. It makes a multi-scene clip from ffmpeg's lavfi sources,
/// starts the daemon on a free loopback port, streams the clip to it through the gRPC client at 1x speed (as a
/// live source would arrive), and writes demo.wav and demo.mp4 (the clip with its new sound), printing the
/// scenes as they are decided and the latency.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out-dir") { Description = "Where to write demo-input.mp4, demo.wav and demo.mp4.", DefaultValueFactory = _ => "demo-out" };
        var fast = new Option<bool>("--fast") { Description = "Send the clip as fast as the daemon takes it instead of at 1x (reports the real-time factor)." };
        var command = new Command("demo", "Make a multi-scene clip, stream it to a local daemon, and get its sound back.") { outDir, fast };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var directory = Path.GetFullPath(parseResult.GetValue(outDir)!);
            var realtime = !parseResult.GetValue(fast);
            try
            {
                Directory.CreateDirectory(directory);
                var clip = Path.Combine(directory, "demo-input.mp4");
                var wav = Path.Combine(directory, "demo.wav");
                var mp4 = Path.Combine(directory, "demo.mp4");
                var ffmpeg = new FfmpegTool();

                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"1. Making a {DemoClip.DurationSeconds:F0} s clip of {DemoClip.Scenes.Count} scenes from ffmpeg's lavfi sources: {clip}")).ConfigureAwait(false);
                await DemoClip.MakeAsync(ffmpeg, clip, cancellationToken).ConfigureAwait(false);

                var ffmpegVersion = (await Doctor.CheckProgramAsync("ffmpeg", cancellationToken).ConfigureAwait(false)).Version ?? string.Empty;
                var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 1 };
                var host = await DaemonHost.StartAsync(options, _ => { }, ffmpegVersion, cancellationToken).ConfigureAwait(false);
                await using (host.ConfigureAwait(false))
                {
                    await stdout.WriteLineAsync($"2. Started the daemon (built-in model set) on {host.GrpcAddress}").ConfigureAwait(false);
                    await stdout.WriteLineAsync(realtime
                        ? "3. Streaming the clip to it over gRPC at 1x speed, like a live feed; scenes as the daemon decides them:"
                        : "3. Streaming the clip to it over gRPC as fast as it takes it; scenes as the daemon decides them:").ConfigureAwait(false);
                    var config = new StreamConfig
                    {
                        RequestId = "demo",
                        Realtime = realtime,
                        Output = new OutputConfig { Encoding = AudioEncoding.PcmF32Le, SampleRate = 16000, Channels = 1 },
                    };
                    var client = new StreamClient(new StreamClientOptions { Server = host.GrpcAddress, Config = config }, TimeProvider.System);
                    await using var streamable = await StreamableFile.PrepareAsync(clip, cancellationToken).ConfigureAwait(false);
                    var pacing = realtime ? await MediaByteIndex.ReadAsync(streamable.Path, cancellationToken).ConfigureAwait(false) : null;
                    var report = new StreamReport(new PrefixWriter(stdout, "   "), TimeProvider.System);
                    var sink = AudioSink.Open(wav, "wav");
                    await using (sink.ConfigureAwait(false))
                    {
                        Stream file = File.OpenRead(streamable.Path);
                        if (pacing is not null)
                        {
                            // Each packet goes out when its media time comes, like ffmpeg -re.
                            file = new MediaPacedStream(file, pacing, TimeProvider.System);
                        }

                        await using (file.ConfigureAwait(false))
                        {
                            await foreach (var response in client.GenerateAsync(file, cancellationToken).ConfigureAwait(false))
                            {
                                if (response.EventCase == GenerateResponse.EventOneofCase.Audio)
                                {
                                    await sink.WriteAsync(response.Audio, cancellationToken).ConfigureAwait(false);
                                }

                                await report.OnResponseAsync(response).ConfigureAwait(false);
                            }
                        }

                        sink.Complete();
                    }

                    await host.StopAsync().ConfigureAwait(false);
                }

                await ffmpeg.MuxAsync(clip, wav, mp4, cancellationToken).ConfigureAwait(false);
                var cuts = string.Join(", ", DemoClip.CutSeconds.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)));
                await stdout.WriteLineAsync($"   (the clip's true cuts: {cuts} s)").ConfigureAwait(false);
                await stdout.WriteLineAsync($"4. Wrote {wav} and {mp4} (the clip with its generated sound).").ConfigureAwait(false);
                return 0;
            }
            catch (RpcException ex)
            {
                await stderr.WriteLineAsync($"error: the daemon ended the stream with {ex.StatusCode}: {ex.Status.Detail}").ConfigureAwait(false);
                return 1;
            }
            catch (Exception ex) when (ex is MediaException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Indents every line written through it.</summary>
    private sealed class PrefixWriter(TextWriter inner, string prefix) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(prefix + value);

        public override void WriteLine(string? value) => inner.WriteLine(prefix + value);
    }
}
