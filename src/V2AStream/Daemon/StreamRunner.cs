using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Daemon.Metrics;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// Runs one stream's pipeline and writes what it reports to the client: StreamStarted first, then audio
/// chunks, decided scenes and progress as they come, and StreamSummary last. Latency is measured per chunk
/// from the arrival of the frame at the chunk's end to the moment the chunk is written.
/// </summary>
internal sealed class StreamRunner(ModelSetRegistry modelSets, DaemonMetrics metrics, ILoggerFactory loggerFactory, TimeProvider time, FrameReaderOptions readerOptions)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<StreamRunner>();

    public async Task RunAsync(StreamSettings settings, StreamConfig effectiveConfig, MediaSource source, IServerStreamWriter<GenerateResponse> responses, CancellationToken cancellationToken)
    {
        var set = await modelSets.GetAsync(settings.ModelSet, cancellationToken).ConfigureAwait(false);
        var pipeline = new StreamPipeline(set, settings.Pipeline, settings.Detector, readerOptions, loggerFactory, time, metrics);
        var encoder = new AudioEncoder(settings.Output, set.Generator.SampleRate);
        await responses.WriteAsync(new GenerateResponse { Started = new StreamStarted { RequestId = settings.RequestId, Config = effectiveConfig } }, cancellationToken).ConfigureAwait(false);

        long latencyCount = 0;
        double latencySum = 0;
        double latencyMax = 0;
        double lastLatency = 0;
        var lastScene = 0;
        await foreach (var item in pipeline.RunAsync(source, cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case AudioChunkReady chunk:
                    lastScene = chunk.SceneIndex;
                    await responses.WriteAsync(new GenerateResponse { Audio = encoder.Encode(chunk) }, cancellationToken).ConfigureAwait(false);
                    lastLatency = time.GetElapsedTime(chunk.SourceReceivedTimestamp).TotalSeconds;
                    latencyCount++;
                    latencySum += lastLatency;
                    latencyMax = Math.Max(latencyMax, lastLatency);
                    metrics.OnChunkSent(lastLatency);
                    break;
                case SceneUpdate scene:
                    await responses.WriteAsync(new GenerateResponse { Scene = ToSceneEvent(scene) }, cancellationToken).ConfigureAwait(false);
                    break;
                case PipelineProgress progress:
                    await responses.WriteAsync(
                        new GenerateResponse
                        {
                            Progress = new Progress
                            {
                                MediaTimeUs = Microseconds(progress.MediaSeconds),
                                FramesDecoded = (ulong)progress.FramesIngested,
                                BlocksGenerated = (ulong)progress.BlocksGenerated,
                                LatencyUs = settings.Realtime ? Microseconds(lastLatency) : 0,
                            },
                        },
                        cancellationToken).ConfigureAwait(false);
                    break;
                case PipelineSummary summary:
                    if (encoder.Flush(lastScene) is { } tail)
                    {
                        await responses.WriteAsync(new GenerateResponse { Audio = tail }, cancellationToken).ConfigureAwait(false);
                    }

                    await responses.WriteAsync(
                        new GenerateResponse
                        {
                            Summary = new StreamSummary
                            {
                                DurationUs = Microseconds(summary.MediaSeconds),
                                TotalSamples = (ulong)encoder.FramesSent,
                                SceneCount = (uint)summary.Scenes,
                                FramesDecoded = (ulong)summary.Frames,
                                BlocksGenerated = (ulong)summary.Blocks,
                                RealtimeFactor = summary.RealTimeFactor,
                                MeanLatencyUs = latencyCount == 0 ? 0 : Microseconds(latencySum / latencyCount),
                                MaxLatencyUs = Microseconds(latencyMax),
                                TimestampDiscontinuities = (uint)summary.TimestampDiscontinuities,
                                InputTruncated = summary.InputEndedEarly is not null,
                                InputWarning = summary.InputEndedEarly ?? string.Empty,
                            },
                        },
                        cancellationToken).ConfigureAwait(false);
                    DaemonLog.StreamFinished(_logger, settings.RequestId, summary.Frames, summary.Scenes, summary.MediaSeconds, summary.RealTimeFactor);
                    if (summary.InputEndedEarly is { } why)
                    {
                        DaemonLog.StreamInputEndedEarly(_logger, settings.RequestId, summary.MediaSeconds, why);
                    }
                    break;
            }
        }
    }

    /// <summary>The config the stream really runs with: every default filled in, echoed in StreamStarted.</summary>
    public static StreamConfig EffectiveConfig(StreamSettings settings) => new()
    {
        RequestId = settings.RequestId,
        Realtime = settings.Realtime,
        Input = new InputConfig { Format = settings.InputFormat ?? string.Empty },
        Output = new OutputConfig
        {
            Encoding = settings.Output.Encoding,
            SampleRate = (uint)settings.Output.SampleRate,
            Channels = (uint)settings.Output.Channels,
            ChunkDurationMs = (uint)settings.Output.ChunkMilliseconds,
        },
        Scenes = new SceneConfig
        {
            Detector = "robust",
            SampleFps = settings.Pipeline.SampleFps,
            Threshold = settings.Detector.Tau,
            WindowSeconds = settings.Detector.WindowSeconds,
            LookaheadFrames = (uint)settings.Detector.LookaheadFrames,
            MinSceneSeconds = settings.Detector.MinSceneSeconds,
        },
        Generation = new GenerationConfig
        {
            ModelSet = settings.ModelSet,
            Seed = unchecked((ulong)settings.Pipeline.Seed),
            BlockMultiple = (uint)settings.Pipeline.BlockMultiple,
            CrossfadeMs = (uint)Math.Round(settings.Pipeline.CutCrossfadeMilliseconds),
            Mode = settings.Pipeline.Mode == Core.Pipeline.GenerationMode.Live ? Protos.V1.GenerationMode.Live : Protos.V1.GenerationMode.Quality,
        },
    };

    public static SceneEvent ToSceneEvent(SceneUpdate scene)
    {
        var sceneEvent = new SceneEvent
        {
            SceneIndex = (uint)scene.SceneIndex,
            StartUs = Microseconds(scene.StartSeconds),
            EndUs = Microseconds(scene.EndSeconds),
            Score = scene.Score,
            Final = true,
        };
        sceneEvent.Labels.AddRange(scene.Labels);
        return sceneEvent;
    }

    private static long Microseconds(double seconds) => (long)Math.Round(seconds * 1_000_000);
}
