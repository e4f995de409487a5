using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Core.Files;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;
using V2AStream.Running;
using EngineMode = V2AStream.Core.Pipeline.GenerationMode;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a stream FILE|URL|- --server HOST:PORT -o FILE|-</c>: the gRPC client. A file or stdin is streamed to the
/// daemon (Generate) while its audio comes back; a URL is opened by the daemon itself (GenerateFromSource).
/// Audio goes to --out; scenes and the summary go to stderr (or JSON Lines on stdout with --json), so --out - can feed
/// a pipe. Interrupted, it keeps the audio received so far, as ffmpeg does.
/// </summary>
internal static class StreamCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file, - for stdin (e.g. ffmpeg -re -i in.mp4 -c copy -f mpegts - | v2a stream -), or a URL for the server to open." };
        var server = CommonOptions.Server();
        var output = CommonOptions.Out("Where the audio goes: a file, or - for stdout.");
        var format = CommonOptions.Format();
        var sampleRate = CommonOptions.SampleRate();
        var channels = CommonOptions.Channels();
        var mux = new Option<string?>("--mux") { Description = "Also write this video file: the input's video with the generated audio (file input and --out FILE with --format wav only).", HelpName = "FILE" };
        var realtime = new Option<bool>("--realtime") { Description = "The input is live: LIVE mode, and a file is sent at 1x speed like ffmpeg -re." };
        var mode = CommonOptions.Mode("live or quality (default: live with --realtime, else quality).", null);
        var modelSet = new Option<string?>("--model-set") { Description = "A model set the server has (default: the server's)." };
        var seed = new Option<ulong>("--seed") { Description = "Same seed, same input: same audio." };
        var inputFormat = new Option<string?>("--input-format") { Description = "The container of the bytes sent (mpegts, matroska, mp4...), to skip probing." };
        var token = new Option<string?>("--token") { Description = "Bearer token, when the server needs one (or --token-file, or V2A_TOKEN)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the bearer token from this file." };
        var reconnect = new Option<bool>("--reconnect") { Description = "When the call breaks (UNAVAILABLE, or a reset this client did not ask for), open a new one and go on: live input from where it is now, a file from where its audio reached; the audio stays continuous in length (silence for what was lost)." };
        var json = CommonOptions.Json("Print each scene and the summary as JSON Lines on stdout ({\"scene\": ...}, then {\"summary\": ...}).");
        var command = new Command("stream", "Stream a video to a V2AStream daemon and receive its audio as it is made.")
        {
            input, server, output, format, sampleRate, channels, mux, realtime, mode, modelSet, seed, inputFormat, token, tokenFile, reconnect, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var inputValue = parseResult.GetValue(input)!;
            var outPath = parseResult.GetValue(output)!;
            var muxPath = parseResult.GetValue(mux);
            var formatName = format.ValueOf(parseResult);
            var printJson = parseResult.GetValue(json);
            AudioOutputUsage.Check(inputValue, outPath, formatName, muxPath, printJson);
            var isUrl = SourceArgument.IsUrl(inputValue);
            var isFile = inputValue != "-" && !isUrl;

            if (isFile)
            {
                InputFile.Require(inputValue);
            }

            var serverUri = server.ValueOf(parseResult)!;
            var config = new StreamConfig
            {
                Realtime = parseResult.GetValue(realtime),
                Input = new InputConfig { Format = parseResult.GetValue(inputFormat) ?? string.Empty },
                Output = new OutputConfig { Encoding = AudioEncoding.PcmF32Le, SampleRate = (uint)sampleRate.ValueOf(parseResult), Channels = (uint)channels.ValueOf(parseResult) },
                Generation = new GenerationConfig
                {
                    ModelSet = parseResult.GetValue(modelSet) ?? string.Empty,
                    Seed = parseResult.GetValue(seed),
                    Mode = mode.ValueOf(parseResult) switch
                    {
                        EngineMode.Live => Protos.V1.GenerationMode.Live,
                        EngineMode.Quality => Protos.V1.GenerationMode.Quality,
                        _ => Protos.V1.GenerationMode.Unspecified,
                    },
                },
            };

            var clientToken = ClientToken.Resolve(parseResult.GetValue(token), parseResult.GetValue(tokenFile));
            using var muxFile = muxPath is null ? null : OutputFile.Create(muxPath);
            var sink = AudioSink.Open(outPath, formatName);
            var report = new StreamReport(stderr, TimeProvider.System, printJson ? stdout : null);
            StreamableFile? streamable = null;
            try
            {
                await using (sink.ConfigureAwait(false))
                {
                    ReconnectingStream stream;
                    try
                    {
                        if (isFile)
                        {
                            streamable = await StreamableFile.PrepareAsync(inputValue, cancellationToken).ConfigureAwait(false);
                            if (streamable.Remuxed)
                            {
                                await stderr.WriteLineAsync($"{inputValue} keeps its index at its end, which cannot be decoded as it arrives: sending a copy with the index first (remuxed, not re-encoded).").ConfigureAwait(false);
                            }
                        }

                        // --realtime with a file: send each packet when its media time comes, like ffmpeg -re.
                        MediaByteIndex? pacing = null;
                        if (config.Realtime && streamable is not null)
                        {
                            pacing = await MediaByteIndex.ReadAsync(streamable.Path, cancellationToken).ConfigureAwait(false)
                                ?? throw new InvalidDataException($"{inputValue} has no video packets to pace by.");
                        }

                        var clientOptions = new StreamClientOptions { Server = serverUri, Token = clientToken, Config = config };
                        var client = new StreamClient(clientOptions, TimeProvider.System);
                        var reconnecting = parseResult.GetValue(reconnect);
                        await using var copy = reconnecting && streamable is not null ? await MpegTsCopy.MakeAsync(streamable.Path, cancellationToken).ConfigureAwait(false) : null;
                        await using var pipe = inputValue == "-" ? new LivePipeSource(Console.OpenStandardInput(), client, TimeProvider.System) : null;
                        IResumableSource source = pipe as IResumableSource
                            ?? (streamable is not null ? new ResumableFile(streamable.Path, pacing, paced: pacing is not null, copy, clientOptions, TimeProvider.System) : new ServerOpenedSource(inputValue, client, TimeProvider.System));
                        stream = new ReconnectingStream(source, reconnecting ? ReconnectingStream.DefaultPolicy(TimeProvider.System) : null);
                        await foreach (var item in stream.RunAsync(cancellationToken).ConfigureAwait(false))
                        {
                            if (item.Response.EventCase == GenerateResponse.EventOneofCase.Audio)
                            {
                                await sink.WriteAsync(item.Response.Audio).ConfigureAwait(false);
                            }

                            if (item.FillsGapOf is null)
                            {
                                await report.OnResponseAsync(item.Response).ConfigureAwait(false);
                            }
                        }

                        sink.Complete();
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        await stderr.WriteLineAsync(Interrupted.KeepAudio(sink, outPath, muxPath)).ConfigureAwait(false);
                        throw;
                    }

                    foreach (var interruption in stream.Interruptions)
                    {
                        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"the stream broke at {interruption.ReachedSeconds:F2} s ({interruption.Status}); a new call went on, {interruption.LostSeconds:F2} s of audio lost")).ConfigureAwait(false);
                    }

                    if (stream.Reconnects > 0)
                    {
                        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{stream.Reconnects} new calls after {stream.Interruptions.Count} interruptions; {stream.Interruptions.Sum(i => i.LostSeconds):F2} s of audio lost (written as silence)")).ConfigureAwait(false);
                    }
                }

                if (muxFile is not null)
                {
                    await new FfmpegTool().MuxAsync(inputValue, outPath, muxFile.TemporaryPath, cancellationToken).ConfigureAwait(false);
                    muxFile.Commit();
                }

                await report.FinishAsync(inputValue, outPath, muxPath).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (RpcException ex)
            {
                await stderr.WriteLineAsync($"error: {CallErrors.Describe(ex, serverUri)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is MediaException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            finally
            {
                if (streamable is not null)
                {
                    await streamable.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }
}
