using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Relay;
using V2AStream.Daemon;
using V2AStream.Diagnostics;
using V2AStream.Hosting;
using V2AStream.Onnx;
using V2AStream.Relay;
using V2AStream.Soak;
using WireMode = V2AStream.Protos.V1.GenerationMode;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a relay SOURCE --publish DEST [--server HOST:PORT | --model-set NAME]</c>: a live relay that adds the sound. It reads a
/// live stream, publishes its video (stream-copied) with the generated sound to DEST, and keeps going through a source
/// that drops and comes back and a daemon that restarts (<see cref="LiveRelay"/>). Without --server the daemon runs in
/// this process, on a loopback port with a token of its own.
/// </summary>
internal static class RelayCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = $"The live stream to read: {string.Join(", ", MediaSource.UrlSchemes)} (HLS is an http(s) URL)." };
        var publish = new Option<string>("--publish") { Description = "Where the video and its sound go: rtmp://HOST/APP/NAME (FLV), or srt://, udp://, tcp:// (MPEG-TS).", Required = true };
        var server = new AddressOption("--server", "The daemon that makes the sound; without it the pipeline runs in this process.", null, ServerAddress.Default);
        var modelSet = new Option<string?>("--model-set") { Description = "The model set: the daemon's (default: its default), or the one this process loads (default: builtin)." };
        var device = new Option<string?>(DeviceOption.Name) { Description = "Without --server: " + DeviceOption.Description };
        var mode = CommonOptions.Mode("live: sound decided on the frames seen so far (low latency); quality: each block hears its own frames.", "live");
        var format = new ChoiceOption<string?>("--format", "The published container (default: flv for rtmp://, mpegts otherwise).", [.. MuxingPublisherOptions.Formats.Select(f => (f, (string?)f))], null);
        var audioCodec = new ChoiceOption<string>("--audio-codec", "The published sound's codec.", [.. MuxingPublisherOptions.AudioCodecs.Select(c => (c, c))], "aac");
        var sampleRate = new ChoiceOption<int>("--sample-rate", "Samples per second of the published sound.", [("44100", 44100), ("48000", 48000)], "48000");
        var json = CommonOptions.Json("Print events, scenes, status and the summary as JSON Lines on stdout ({\"event\": ...}, {\"scene\": ...}, {\"status\": ...}, last {\"summary\": ...}).");
        var seed = new Option<ulong>("--seed") { Description = "Same seed, same video: same sound." };
        var token = new Option<string?>("--token") { Description = "Bearer token, when the daemon needs one (or --token-file, or V2A_TOKEN)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the bearer token from this file." };
        var reconnectWindow = new Option<string>("--reconnect-window") { Description = "How long the source may stay away (or not open) before the relay stops (90s, 5m...).", DefaultValueFactory = _ => "60s" };
        var sourceTimeout = new Option<string>("--source-timeout") { Description = "A source connection that sends nothing this long is dropped and opened again.", DefaultValueFactory = _ => "10s" };
        var statusInterval = new Option<string>("--status-interval") { Description = "How often the status line is printed (stderr, or stdout with --json); 0 for never.", DefaultValueFactory = _ => "5s" };
        var command = new Command("relay", "Relay a live stream with a generated soundtrack: read SOURCE, publish its video (copied) with the sound to --publish, in sync.")
        {
            source, publish, server, modelSet, device, mode, format, audioCodec, sampleRate, seed, token, tokenFile, reconnectWindow, sourceTimeout, statusInterval, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            async Task<int> Usage(string message)
            {
                await stderr.WriteLineAsync($"error: {message}").ConfigureAwait(false);
                return 2;
            }

            var sourceUrl = parseResult.GetValue(source)!;
            var destination = parseResult.GetValue(publish)!;
            try
            {
                _ = MediaSource.FromUrl(sourceUrl);
            }
            catch (ArgumentException ex)
            {
                return await Usage(ex.Message.Split(" (Parameter", 2)[0]).ConfigureAwait(false);
            }

            if (!Uri.TryCreate(destination, UriKind.Absolute, out var destinationUri) || !MediaSource.UrlSchemes.Contains(destinationUri.Scheme, StringComparer.OrdinalIgnoreCase))
            {
                return await Usage($"--publish '{destination}' must be a URL with one of the schemes {string.Join(", ", MediaSource.UrlSchemes)}.").ConfigureAwait(false);
            }

            if (!DurationText.TryParse(parseResult.GetValue(reconnectWindow), out var window) || window < TimeSpan.Zero
                || !DurationText.TryParse(parseResult.GetValue(sourceTimeout), out var stall) || stall <= TimeSpan.Zero
                || !DurationText.TryParse(parseResult.GetValue(statusInterval), out var interval) || interval < TimeSpan.Zero)
            {
                return await Usage("--reconnect-window, --source-timeout and --status-interval take durations such as 60s, 5m or 500ms.").ConfigureAwait(false);
            }

            var serverUri = server.ValueOf(parseResult);
            if (serverUri is not null && parseResult.GetValue(device) is not null)
            {
                return await Usage($"{DeviceOption.Name} chooses where this process runs the models; with --server the daemon's own --device does.").ConfigureAwait(false);
            }

            OrtDevice? inProcessDevice = null;
            if (serverUri is null && parseResult.GetValue(device) is { } deviceText)
            {
                if (!OrtDevice.TryParse(deviceText, out var parsed))
                {
                    return await Usage($"{DeviceOption.Name} '{deviceText}' is not valid: use cpu, cuda or cuda:N.").ConfigureAwait(false);
                }

                inProcessDevice = parsed;
            }

            var options = new RelayOptions
            {
                Source = sourceUrl,
                Publisher = new MuxingPublisherOptions
                {
                    Destination = destination,
                    Format = format.ValueOf(parseResult) ?? MuxingPublisherOptions.FormatFor(destination),
                    AudioCodec = audioCodec.ValueOf(parseResult),
                    SampleRate = sampleRate.ValueOf(parseResult),
                },
                Server = serverUri,
                ModelSet = parseResult.GetValue(modelSet),
                Mode = mode.ValueOf(parseResult) == GenerationMode.Quality ? WireMode.Quality : WireMode.Live,
                Seed = parseResult.GetValue(seed),
                ReconnectWindow = window,
                SourceStallTimeout = stall,
                StatusInterval = interval,
            };

            // SIGTERM (a media server ending the stream, a service manager) stops the relay like Ctrl-C does: what it has is
            // finished and the publication closed, rather than the process killed mid-write.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            cancellationToken = stop.Token;
            try
            {
                var report = parseResult.GetValue(json) ? new RelayReport(parseResult.InvocationConfiguration.Output, TimeProvider.System, json: true) : new RelayReport(stderr, TimeProvider.System);
                if (serverUri is not null)
                {
                    var bearer = ClientToken.Resolve(parseResult.GetValue(token), parseResult.GetValue(tokenFile));
                    report.Say($"relay: sound from the daemon at {serverUri}");
                    await RunAsync(options with { Token = bearer }, report, cancellationToken).ConfigureAwait(false);
                    return 0;
                }

                // No daemon given: one in this process, reachable only with a token made here.
                var ffmpegVersion = (await Doctor.CheckProgramAsync("ffmpeg", cancellationToken).ConfigureAwait(false)).Version ?? string.Empty;
                var localToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                var daemonOptions = new DaemonOptions
                {
                    Listen = "127.0.0.1:0",
                    MetricsListen = string.Empty,
                    MaxStreams = 2,
                    ModelSet = options.ModelSet ?? "builtin",
                    Device = (inProcessDevice ?? OrtDevice.Cpu).ToString(),
                    Token = localToken,
                    LiveJitterBuffer = TimeSpan.Zero,
                };
                var host = await DaemonHost.StartAsync(daemonOptions, _ => { }, ffmpegVersion, cancellationToken).ConfigureAwait(false);
                await using (host.ConfigureAwait(false))
                {
                    report.Say($"relay: sound from the {daemonOptions.ModelSet} model set in this process");
                    await RunAsync(options with { Server = host.GrpcAddress, Token = localToken }, report, cancellationToken).ConfigureAwait(false);
                }

                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (ex is MediaException or RelayException or ModelSetException or OrtException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Task RunAsync(RelayOptions options, RelayReport report, CancellationToken cancellationToken)
    {
        report.Say(string.Create(CultureInfo.InvariantCulture, $"relay: reading {options.Source}, publishing to {options.Publisher.Destination} ({options.Publisher.Format}, video copied, {options.Publisher.AudioCodec} sound at {options.Publisher.SampleRate} Hz)"));
        var client = new StreamClient(new StreamClientOptions { Server = options.Server!, Token = options.Token, Config = options.StreamConfig("relay") }, TimeProvider.System);
        return new LiveRelay(options, client, report, NullLoggerFactory.Instance, TimeProvider.System).RunAsync(cancellationToken);
    }
}
