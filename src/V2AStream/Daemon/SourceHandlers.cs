using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Scenes;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// GenerateFromSource and DetectScenes: the daemon opens a path or URL itself, so the <see cref="SourcePolicy"/>
/// decides first (PERMISSION_DENIED outside the allowed roots, schemes and hosts; the default allows nothing), and the
/// source is opened only once the stream has its slot. A URL defaults to LIVE mode, a file to QUALITY.
/// </summary>
internal sealed class SourceHandlers(SourcePolicy policy, StreamConfigTranslator translator, StreamGate gate, StreamRunner runner, ModelSetRegistry modelSets, FrameReaderOptions readerOptions, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SourceHandlers>();

    public async Task GenerateFromSourceAsync(SourceRequest request, IServerStreamWriter<GenerateResponse> responses, ServerCallContext context)
    {
        var allowed = await CheckAsync(request, context.CancellationToken).ConfigureAwait(false);
        var settings = translator.Translate(request.Config ?? new StreamConfig(), liveByDefault: allowed.IsUrl);
        DaemonLog.StreamStarted(_logger, settings.RequestId, "GenerateFromSource", settings.ModelSet, settings.Pipeline.Mode.ToString());
        await gate.RunAsync(settings.RequestId, context, cancellationToken => allowed.ReadAsync(
            source => runner.RunAsync(settings, StreamRunner.EffectiveConfig(settings), source, responses, cancellationToken),
            _logger)).ConfigureAwait(false);
    }

    /// <summary>Scenes only: frames are embedded and run through the incremental detector; no audio is made.</summary>
    public async Task DetectScenesAsync(SourceRequest request, IServerStreamWriter<SceneEvent> responses, ServerCallContext context)
    {
        var allowed = await CheckAsync(request, context.CancellationToken).ConfigureAwait(false);
        var settings = translator.Translate(request.Config ?? new StreamConfig(), liveByDefault: allowed.IsUrl);
        DaemonLog.StreamStarted(_logger, settings.RequestId, "DetectScenes", settings.ModelSet, "scenes-only");
        await gate.RunAsync(settings.RequestId, context, cancellationToken => allowed.ReadAsync(async source =>
        {
            var embedder = modelSets.Get(settings.ModelSet).Embedder;
            var reader = new FrameReader(readerOptions with { SampleFps = settings.Pipeline.SampleFps, Geometry = embedder.Geometry }, loggerFactory.CreateLogger<FrameReader>());
            var detector = SceneDetectors.CreateIncremental(settings.Detector, embedder.Dim);
            var fps = settings.Pipeline.SampleFps;
            var sceneStart = 0;
            var sceneScore = 0.0;
            var sceneIndex = 0u;
            var vector = new float[embedder.Dim];
            async Task CloseSceneAsync(int endFrame)
            {
                await responses.WriteAsync(
                    new SceneEvent { SceneIndex = sceneIndex++, StartUs = Microseconds(sceneStart / fps), EndUs = Microseconds(endFrame / fps), Score = sceneScore, Final = true },
                    cancellationToken).ConfigureAwait(false);
            }

            async Task OnEventsAsync(IReadOnlyList<SceneCutEvent> events)
            {
                foreach (var cut in events.Where(e => e.Kind == SceneCutEventKind.Final).Select(e => e.Cut))
                {
                    await CloseSceneAsync(cut.Frame).ConfigureAwait(false);
                    sceneStart = cut.Frame;
                    sceneScore = cut.Score;
                }
            }

            await foreach (var frame in reader.ReadFramesAsync(source, cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    await embedder.EmbedAsync([frame], vector, cancellationToken).ConfigureAwait(false);
                }

                await OnEventsAsync(detector.Push(vector)).ConfigureAwait(false);
            }

            await OnEventsAsync(detector.Complete()).ConfigureAwait(false);
            if (detector.FrameCount > 0)
            {
                await CloseSceneAsync(detector.FrameCount).ConfigureAwait(false);
            }
        }, _logger)).ConfigureAwait(false);
    }

    /// <summary>The policy's decision on the request's source; a refusal ends the call with its status before any slot is taken.</summary>
    private async Task<AllowedSource> CheckAsync(SourceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await policy.CheckAsync(request.Source, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceRefusedException refused)
        {
            var status = EngineErrors.ToRpc(refused)!;
            DaemonLog.SourceRefused(_logger, status.StatusCode.ToString(), status.Status.Detail);
            throw status;
        }
    }

    private static long Microseconds(double seconds) => (long)Math.Round(seconds * 1_000_000);
}
