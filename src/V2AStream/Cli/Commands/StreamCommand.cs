using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a stream FILE|URL|- --server URL --out FILE|-</c>: the gRPC client. A file or stdin is streamed to the
/// daemon (Generate) while its audio comes back; a URL is opened by the daemon itself (GenerateFromSource).
/// Audio goes to --out; scenes and the summary go to stderr, so --out - can feed a pipe.
/// </summary>
internal static class StreamCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file, - for stdin (e.g. ffmpeg -re -i in.mp4 -c copy -f mpegts - | v2a stream -), or a URL for the server to open." };
        var server = new Option<string>("--server") { Description = "The daemon's address.", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var output = new Option<string>("--out") { Description = "Where the audio goes: a file, or - for stdout.", Required = true };
        var format = new Option<string>("--format") { Description = "wav, s16le or f32le.", DefaultValueFactory = _ => "wav" };
        format.AcceptOnlyFromAmong([.. AudioSink.Formats]);
        var sampleRate = new Option<int>("--sample-rate") { Description = "16000, 44100 or 48000 Hz.", DefaultValueFactory = _ => 16000 };
        var channels = new Option<int>("--channels") { Description = "1 or 2.", DefaultValueFactory = _ => 1 };
        var mux = new Option<string?>("--mux") { Description = "Also write this video file: the input's video with the generated audio (file input and --out FILE.wav only)." };
        var realtime = new Option<bool>("--realtime") { Description = "The input is live: LIVE mode, and a file is sent at 1x speed like ffmpeg -re." };
        var mode = new Option<string?>("--mode") { Description = "live or quality (default: live with --realtime, else quality)." };
        var modelSet = new Option<string?>("--model-set") { Description = "A model set the server has (default: the server's)." };
        var seed = new Option<ulong>("--seed") { Description = "Same seed, same input: same audio." };
        var inputFormat = new Option<string?>("--input-format") { Description = "The container of the bytes sent (mpegts, matroska, mp4...), to skip probing." };
        var token = new Option<string?>("--token") { Description = "Bearer token, when the server needs one (or --token-file, or V2A_TOKEN)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the bearer token from this file." };
        var command = new Command("stream", "Stream a video to a V2AStream daemon and receive its audio as it is made.")
        {
            input, server, output, format, sampleRate, channels, mux, realtime, mode, modelSet, seed, inputFormat, token, tokenFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var inputValue = parseResult.GetValue(input)!;
            var outPath = parseResult.GetValue(output)!;
            var muxPath = parseResult.GetValue(mux);
            if (muxPath is not null && (inputValue == "-" || outPath == "-" || IsUrl(inputValue) || parseResult.GetValue(format) != "wav"))
            {
                await stderr.WriteLineAsync("error: --mux needs a file input and --out FILE.wav.").ConfigureAwait(false);
                return 2;
            }

            if (!Uri.TryCreate(parseResult.GetValue(server), UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
            {
                await stderr.WriteLineAsync($"error: --server '{parseResult.GetValue(server)}' must be an http:// or https:// URL such as http://127.0.0.1:50051.").ConfigureAwait(false);
                return 2;
            }

            var config = new StreamConfig
            {
                Realtime = parseResult.GetValue(realtime),
                Input = new InputConfig { Format = parseResult.GetValue(inputFormat) ?? string.Empty },
                Output = new OutputConfig { Encoding = AudioEncoding.PcmF32Le, SampleRate = (uint)parseResult.GetValue(sampleRate), Channels = (uint)parseResult.GetValue(channels) },
                Generation = new GenerationConfig
                {
                    ModelSet = parseResult.GetValue(modelSet) ?? string.Empty,
                    Seed = parseResult.GetValue(seed),
                    Mode = parseResult.GetValue(mode)?.ToLowerInvariant() switch
                    {
                        null => Protos.V1.GenerationMode.Unspecified,
                        "live" => Protos.V1.GenerationMode.Live,
                        "quality" => Protos.V1.GenerationMode.Quality,
                        var other => throw new ArgumentException($"--mode '{other}' must be live or quality."),
                    },
                },
            };

            StreamableFile? streamable = null;
            try
            {
                var isFile = inputValue != "-" && !IsUrl(inputValue);
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

                var client = new StreamClient(new StreamClientOptions { Server = serverUri, Token = ClientToken.Resolve(parseResult.GetValue(token), parseResult.GetValue(tokenFile)), Config = config }, TimeProvider.System);
                var report = new StreamReport(stderr, TimeProvider.System);
                var sink = AudioSink.Open(outPath, parseResult.GetValue(format)!);
                await using (sink.ConfigureAwait(false))
                {
                    IAsyncEnumerable<GenerateResponse> responses;
                    Stream? file = null;
                    if (IsUrl(inputValue))
                    {
                        responses = client.GenerateFromSourceAsync(inputValue, cancellationToken);
                    }
                    else
                    {
                        file = streamable is null ? Console.OpenStandardInput() : File.OpenRead(streamable.Path);
                        if (pacing is not null)
                        {
                            file = new MediaPacedStream(file, pacing, TimeProvider.System);
                        }

                        responses = client.GenerateAsync(file, cancellationToken);
                    }

                    await using (file)
                    {
                        await foreach (var response in responses.ConfigureAwait(false))
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

                if (muxPath is not null)
                {
                    await new FfmpegTool().MuxAsync(inputValue, outPath, muxPath, cancellationToken).ConfigureAwait(false);
                    await stderr.WriteLineAsync($"wrote {muxPath}").ConfigureAwait(false);
                }

                return 0;
            }
            catch (RpcException ex)
            {
                await stderr.WriteLineAsync($"error: the server ended the stream with {ClientToken.DescribeError(ex)}").ConfigureAwait(false);
                return 1;
            }
            catch (Exception ex) when (ex is MediaException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
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

    private static bool IsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1;
}
