using System.CommandLine;
using Grpc.Core;
using V2AStream.Core.Files;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;
using V2AStream.Client;
using V2AStream.Soak;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a soak --server URL|--spawn --streams N --duration 10m --source FILE... --realtime</c>: N concurrent streams
/// against a daemon, measuring chunk latency (DESIGN.md section 3), underruns, time to first audio, real-time
/// factor, errors and the daemon's memory, with an SVG and JSON; exits 1 when a given objective is missed.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var server = new AddressOption("--server", "A running daemon's gRPC address.", null, "127.0.0.1:50051");
        var metrics = new AddressOption("--metrics", "With --server: the daemon's health port, for memory and child counts (/metrics).", null, "127.0.0.1:9464");
        var spawn = new Option<bool>("--spawn") { Description = "Start a daemon (v2a serve) as a child on free loopback ports and soak it." };
        var token = new Option<string?>("--token") { Description = "Bearer token, when the server needs one (or --token-file, or V2A_TOKEN)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the bearer token from this file." };
        var streams = new Option<int>("--streams") { Description = "Concurrent streams.", DefaultValueFactory = _ => 4 };
        var duration = new Option<string>("--duration") { Description = "How long to keep streams going (10m, 90s...); each stream finishes the source it is sending.", DefaultValueFactory = _ => "10m" };
        var source = new Option<string[]>("--source") { Description = "Video files; stream i sends source i mod count, again and again.", Required = true, AllowMultipleArgumentsPerToken = true };
        var realtime = new Option<bool>("--realtime") { Description = "Send each source at 1x, like ffmpeg -re (latency and underruns only mean something then)." };
        var mode = CommonOptions.Mode("The generation mode the streams ask for.", "live");
        var modelSet = new Option<string?>("--model-set") { Description = "The model set to ask for (default: the server's)." };
        var json = CommonOptions.Json("Print the figures as JSON on stdout instead of text (overall p99 as p99_s, underruns as underruns).");
        var report = new Option<string?>("--report", "-o", "--out") { Description = "Also write the figures as JSON to this file (the same object as --json).", HelpName = "FILE" };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG of latency and memory over time here.", HelpName = "FILE" };
        var chunks = new Option<string?>("--chunks") { Description = "Write every chunk as a CSV row here (stream, session, media start, arrival, latency, underrun).", HelpName = "FILE" };
        var maxP99 = new Option<string?>("--max-p99") { Description = "Objective: overall chunk latency p99 at most this (e.g. 1.5s)." };
        var maxUnderruns = new Option<int?>("--max-underruns") { Description = "Objective: at most this many underruns, over all streams (a session's first chunk never counts)." };
        var maxRssGrowth = new Option<double?>("--max-rss-growth") { Description = "Objective: daemon RSS growth from --growth-from to the end at most this many percent." };
        var maxErrors = new Option<int?>("--max-errors") { Description = "Objective: at most this many streams ended with an error." };
        var growthFrom = new Option<string>("--growth-from") { Description = "Where memory growth is measured from (after warm-up); a run shorter than twice this uses its second half.", DefaultValueFactory = _ => "2m" };
        var sampleInterval = new Option<string>("--sample-interval") { Description = "How often the daemon's memory is sampled.", DefaultValueFactory = _ => "5s" };
        var reconnect = new Option<bool>("--reconnect") { Description = "When a stream's call breaks (UNAVAILABLE, or a reset the client did not ask for), open a new one from the live position; --json then counts reconnects and audio_lost_s." };
        var jitterBuffer = new Option<string>("--jitter-buffer") { Description = "Audio the simulated player buffers before playing; late chunks within it are not underruns.", DefaultValueFactory = _ => "0s" };
        var command = new Command("soak", "Run concurrent real-time streams against a daemon and report latency, underruns and memory.")
        {
            server, metrics, spawn, token, tokenFile, streams, duration, source, realtime, mode, modelSet, json, report, plot, chunks, maxP99, maxUnderruns, maxRssGrowth, maxErrors, growthFrom, sampleInterval, jitterBuffer, reconnect,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var serverUri = server.ValueOf(parseResult);
            if ((serverUri is null) == !parseResult.GetValue(spawn))
            {
                throw new CliUsageException("give exactly one of --server HOST:PORT and --spawn.");
            }

            var metricsUri = metrics.ValueOf(parseResult);

            var streamCount = parseResult.GetValue(streams);
            if (streamCount is < 1 or > 256)
            {
                throw new CliUsageException($"--streams {streamCount} must be between 1 and 256.");
            }

            if (!DurationText.TryParse(parseResult.GetValue(duration), out var soakDuration)
                || !DurationText.TryParse(parseResult.GetValue(growthFrom), out var growthStart)
                || !DurationText.TryParse(parseResult.GetValue(sampleInterval), out var interval) || interval <= TimeSpan.Zero
                || !DurationText.TryParse(parseResult.GetValue(jitterBuffer), out var jitter))
            {
                throw new CliUsageException("--duration, --growth-from, --sample-interval and --jitter-buffer take durations such as 10m, 90s or 1.5s.");
            }

            TimeSpan? p99Limit = null;
            if (parseResult.GetValue(maxP99) is { } p99Text)
            {
                if (!DurationText.TryParse(p99Text, out var parsed))
                {
                    throw new CliUsageException($"--max-p99 '{p99Text}' must be a duration such as 1.5s or 800ms.");
                }

                p99Limit = parsed;
            }

            var sources = parseResult.GetValue(source) ?? [];
            foreach (var path in sources)
            {
                InputFile.Require(path, "--source");
            }

            // Every output is checked (and its temporary file made) before the soak starts; all appear at its end.
            using var reportFile = parseResult.GetValue(report) is { } reportPath ? OutputFile.Create(reportPath) : null;
            using var plotFile = parseResult.GetValue(plot) is { } plotPath ? OutputFile.Create(plotPath) : null;
            using var chunksFile = parseResult.GetValue(chunks) is { } chunksPath ? OutputFile.Create(chunksPath) : null;
            var streamables = new List<StreamableFile>();
            try
            {
                var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
                var indexes = new Dictionary<string, MediaByteIndex?>(StringComparer.Ordinal);
                var sendPaths = new Dictionary<string, string>(StringComparer.Ordinal);
                try
                {
                    foreach (var path in sources.Distinct(StringComparer.Ordinal))
                    {
                        // An MP4 with its index at its end is sent as a copy with the index first, like v2a stream does.
                        var streamable = await StreamableFile.PrepareAsync(path, cancellationToken).ConfigureAwait(false);
                        streamables.Add(streamable);
                        sendPaths[path] = streamable.Path;
                        var probe = await new MediaProber(new FrameReaderOptions()).ProbeAsync(MediaSource.FromFile(streamable.Path), cancellationToken).ConfigureAwait(false);
                        if (probe?.DurationSeconds is not { } seconds || seconds <= 0)
                        {
                            await stderr.WriteLineAsync($"error: cannot tell how long '{path}' is, so it cannot be paced; re-mux it (ffmpeg -i IN -c copy OUT.mp4).").ConfigureAwait(false);
                            return 1;
                        }

                        durations[path] = TimeSpan.FromSeconds(seconds);
                        indexes[path] = await MediaByteIndex.ReadAsync(streamable.Path, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (MediaException ex)
                {
                    await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return 1;
                }

                SpawnedDaemon? daemon = null;
                try
                {
                    if (parseResult.GetValue(spawn))
                    {
                        daemon = await SpawnedDaemon.StartAsync(streamCount, parseResult.GetValue(modelSet), [], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                        serverUri = daemon.Grpc;
                        metricsUri = daemon.Metrics;
                        await stderr.WriteLineAsync($"started a daemon (pid {daemon.ProcessId}) on {daemon.Grpc}, metrics on {daemon.Metrics}").ConfigureAwait(false);
                    }

                    var clientToken = ClientToken.Resolve(parseResult.GetValue(token), parseResult.GetValue(tokenFile));
                    await new StreamClient(new StreamClientOptions { Server = serverUri!, Token = clientToken, Config = new StreamConfig() }, TimeProvider.System)
                        .GetInfoAsync(cancellationToken).ConfigureAwait(false);
                    var generationMode = mode.ValueOf(parseResult) == Core.Pipeline.GenerationMode.Quality ? Protos.V1.GenerationMode.Quality : Protos.V1.GenerationMode.Live;
                    var isRealtime = parseResult.GetValue(realtime);
                    var streamOptions = Enumerable.Range(0, streamCount).Select(i =>
                    {
                        var path = sources[i % sources.Length];
                        return new SoakStreamOptions
                        {
                            Server = serverUri!,
                            Token = clientToken,
                            Config = new StreamConfig
                            {
                                RequestId = $"soak-{i}",
                                Realtime = isRealtime,
                                Output = new OutputConfig { Encoding = AudioEncoding.PcmF32Le, SampleRate = 16000, Channels = 1 },
                                // A spawned daemon serves --model-set as its default, under the manifest's name, whatever form the value had.
                                Generation = new GenerationConfig { ModelSet = daemon is null ? parseResult.GetValue(modelSet) ?? string.Empty : string.Empty, Mode = generationMode, Seed = (ulong)i },
                            },
                            SourcePath = sendPaths[path],
                            SourceDuration = durations[path],
                            ByteIndex = indexes[path],
                            Realtime = isRealtime,
                            Duration = soakDuration,
                            JitterBufferSeconds = jitter.TotalSeconds,
                            Reconnect = parseResult.GetValue(reconnect),
                        };
                    }).ToList();

                    using var http = metricsUri is null ? null : new HttpClient { BaseAddress = metricsUri, Timeout = TimeSpan.FromSeconds(5) };
                    var daemonProbe = new DaemonProbe(http, daemon?.ProcessId);
                    await stderr.WriteLineAsync($"soaking {streamCount} streams for {soakDuration.TotalSeconds:F0} s...").ConfigureAwait(false);
                    var results = await new SoakRunner(TimeProvider.System).RunAsync(streamOptions, daemonProbe, interval, growthStart.TotalSeconds, parseResult.GetValue(mode)!, cancellationToken).ConfigureAwait(false);
                    if (parseResult.GetValue(json))
                    {
                        await using var standardOutput = new MemoryStream();
                        results.WriteJson(standardOutput);
                        await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(standardOutput.ToArray())).ConfigureAwait(false);
                    }
                    else
                    {
                        await stdout.WriteAsync(results.ToText()).ConfigureAwait(false);
                    }

                    if (reportFile is not null)
                    {
                        await using (var file = reportFile.OpenWrite())
                        {
                            results.WriteJson(file);
                        }

                        reportFile.Commit();
                    }

                    if (plotFile is not null)
                    {
                        await File.WriteAllTextAsync(plotFile.TemporaryPath, SoakPlot.Render(results), CancellationToken.None).ConfigureAwait(false);
                        plotFile.Commit();
                    }

                    if (chunksFile is not null)
                    {
                        await File.WriteAllTextAsync(chunksFile.TemporaryPath, results.ChunksCsv(), CancellationToken.None).ConfigureAwait(false);
                        chunksFile.Commit();
                    }

                    var missed = results.CheckSlo(p99Limit, parseResult.GetValue(maxUnderruns), parseResult.GetValue(maxRssGrowth), parseResult.GetValue(maxErrors));
                    if (missed.Count > 0)
                    {
                        await stderr.WriteLineAsync($"error: objectives missed: {string.Join("; ", missed)}").ConfigureAwait(false);
                        return 1;
                    }

                    return 0;
                }
                catch (RpcException ex)
                {
                    await stderr.WriteLineAsync($"error: {CallErrors.Describe(ex, serverUri!)}").ConfigureAwait(false);
                    return 1;
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return 1;
                }
                finally
                {
                    if (daemon is not null)
                    {
                        await daemon.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                foreach (var streamable in streamables)
                {
                    await streamable.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }
}
