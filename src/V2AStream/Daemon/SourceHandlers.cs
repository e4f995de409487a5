using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// GenerateFromSource and DetectScenes: the daemon opens a path or URL itself, so the <see cref="SourcePolicy"/>
/// decides first (PERMISSION_DENIED outside the allowed roots, schemes and hosts; the default allows nothing), and the
/// source is opened only once the stream has its slot. A URL defaults to LIVE mode, a file to QUALITY.
/// </summary>
internal sealed class SourceHandlers(SourcePolicy policy, StreamConfigTranslator translator, StreamGate gate, StreamRunner runner, ModelSetRegistry modelSets, FrameReaderOptions readerOptions, IPipelineMetrics metrics, ILoggerFactory loggerFactory)
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

    /// <summary>
    /// Scenes only: frames are embedded and run through the incremental detector; no audio is made. An input that ends
    /// early (a truncated file, damage ffmpeg cannot read past) ends the call OK, as Generate does, after the scenes of
    /// what decoded, the last one closed where the input ended; the <see cref="InputWarningTrailer"/> trailer says why.
    /// </summary>
    public async Task DetectScenesAsync(SourceRequest request, IServerStreamWriter<SceneEvent> responses, ServerCallContext context)
    {
        var allowed = await CheckAsync(request, context.CancellationToken).ConfigureAwait(false);
        var settings = translator.Translate(request.Config ?? new StreamConfig(), liveByDefault: allowed.IsUrl);
        DaemonLog.StreamStarted(_logger, settings.RequestId, "DetectScenes", settings.ModelSet, "scenes-only");
        await gate.RunAsync(settings.RequestId, context, cancellationToken => allowed.ReadAsync(source => WriteScenesAsync(settings, source, responses, context, cancellationToken), _logger)).ConfigureAwait(false);
    }

    /// <summary>The DetectScenes trailer that says why the input ended early (StreamSummary.input_warning's counterpart).</summary>
    public const string InputWarningTrailer = "v2a-input-warning";

    /// <summary>
    /// The scenes of <paramref name="source"/> as they are decided: frames embedded in batches by the pipeline's embedding
    /// stage, scenes opened and closed by the same detector and <see cref="SceneTracker"/> as the pipeline's; every
    /// boundary's score is logged at Debug (<see cref="SceneLog"/>).
    /// </summary>
    private async Task WriteScenesAsync(StreamSettings settings, MediaSource source, IServerStreamWriter<SceneEvent> responses, ServerCallContext context, CancellationToken cancellationToken)
    {
        var embedder = (await modelSets.GetAsync(settings.ModelSet, cancellationToken).ConfigureAwait(false)).Embedder;
        var fps = settings.Pipeline.SampleFps;
        var reader = new FrameReader(readerOptions with { SampleFps = fps, Geometry = embedder.Geometry }, loggerFactory.CreateLogger<FrameReader>());
        var detector = SceneDetectors.CreateIncremental(settings.Detector, embedder.Dim, SceneLog.BoundaryLogger(loggerFactory.CreateLogger<SceneTracker>()));
        var scenes = new SceneTracker(detector, fps);
        var embedding = new FrameEmbeddingStage(embedder, settings.Pipeline.MaxEmbedWait, metrics);
        MediaException? endedEarly = null;
        try
        {
            await foreach (var frame in embedding.EmbedAllAsync(reader.ReadFramesAsync(source, cancellationToken), settings.Pipeline.ChannelCapacity, cancellationToken).ConfigureAwait(false))
            {
                await WriteAsync(scenes.Push(frame.Vector)).ConfigureAwait(false);
                scenes.ReleaseFramesBefore(scenes.DecidedFrames);
            }
        }
        catch (MediaException ex) when (ex.EndedInputEarly)
        {
            endedEarly = ex;
        }

        await WriteAsync(scenes.Complete()).ConfigureAwait(false);
        if (endedEarly is not null)
        {
            DaemonLog.StreamInputEndedEarly(_logger, settings.RequestId, scenes.SecondsOf(scenes.SeenFrames), endedEarly.Message);
            context.ResponseTrailers.Add(InputWarningTrailer, PrintableAscii(endedEarly.Message));
        }

        async Task WriteAsync(IReadOnlyList<TrackedScene> closed)
        {
            foreach (var scene in closed)
            {
                var update = new SceneUpdate(scene.Index, scene.StartFrame, scene.EndFrameExclusive, scene.StartSeconds, scene.EndSeconds, scene.Score, []);
                await responses.WriteAsync(StreamRunner.ToSceneEvent(update), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A metadata value must be printable ASCII: anything else (a file name's accents) becomes '?'.</summary>
    private static string PrintableAscii(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
        }
    });

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
}
