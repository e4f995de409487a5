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
/// decides first (PERMISSION_DENIED outside the allowed roots and schemes; the default allows nothing).
/// A URL defaults to LIVE mode, a file to QUALITY.
/// </summary>
internal sealed class SourceHandlers(SourcePolicy policy, StreamConfigTranslator translator, StreamGate gate, StreamRunner runner, ModelSetRegistry modelSets, IPipelineMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SourceHandlers>();

    public async Task GenerateFromSourceAsync(SourceRequest request, IServerStreamWriter<GenerateResponse> responses, ServerCallContext context)
    {
        var (source, isUrl) = Open(request);
        var settings = translator.Translate(request.Config ?? new StreamConfig(), liveByDefault: isUrl);
        DaemonLog.StreamStarted(_logger, settings.RequestId, "GenerateFromSource", settings.ModelSet, settings.Pipeline.Mode.ToString());
        await gate.RunAsync(settings.RequestId, context, cancellationToken =>
            runner.RunAsync(settings, StreamRunner.EffectiveConfig(settings), source, responses, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Scenes only: frames are embedded and run through the incremental detector; no audio is made.</summary>
    public async Task DetectScenesAsync(SourceRequest request, IServerStreamWriter<SceneEvent> responses, ServerCallContext context)
    {
        var (source, isUrl) = Open(request);
        var settings = translator.Translate(request.Config ?? new StreamConfig(), liveByDefault: isUrl);
        DaemonLog.StreamStarted(_logger, settings.RequestId, "DetectScenes", settings.ModelSet, "scenes-only");
        await gate.RunAsync(settings.RequestId, context, cancellationToken => WriteScenesAsync(settings, source, responses, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The scenes of <paramref name="source"/> as they are decided: frames embedded in batches by the pipeline's embedding
    /// stage, scenes opened and closed by the same detector and <see cref="SceneTracker"/> as the pipeline's; every
    /// boundary's score is logged at Debug (<see cref="SceneLog"/>).
    /// </summary>
    private async Task WriteScenesAsync(StreamSettings settings, MediaSource source, IServerStreamWriter<SceneEvent> responses, CancellationToken cancellationToken)
    {
        var embedder = (await modelSets.GetAsync(settings.ModelSet, cancellationToken).ConfigureAwait(false)).Embedder;
        var fps = settings.Pipeline.SampleFps;
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = fps, Geometry = embedder.Geometry }, loggerFactory.CreateLogger<FrameReader>());
        var detector = SceneDetectors.CreateIncremental(settings.Detector, embedder.Dim, SceneLog.BoundaryLogger(loggerFactory.CreateLogger<SceneTracker>()));
        var scenes = new SceneTracker(detector, fps);
        var embedding = new FrameEmbeddingStage(embedder, settings.Pipeline.MaxEmbedWait, metrics);
        await foreach (var frame in embedding.EmbedAllAsync(reader.ReadFramesAsync(source, cancellationToken), settings.Pipeline.ChannelCapacity, cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(scenes.Push(frame.Vector)).ConfigureAwait(false);
            scenes.ReleaseFramesBefore(scenes.DecidedFrames);
        }

        await WriteAsync(scenes.Complete()).ConfigureAwait(false);

        async Task WriteAsync(IReadOnlyList<TrackedScene> closed)
        {
            foreach (var scene in closed)
            {
                var update = new SceneUpdate(scene.Index, scene.StartFrame, scene.EndFrameExclusive, scene.StartSeconds, scene.EndSeconds, scene.Score, []);
                await responses.WriteAsync(StreamRunner.ToSceneEvent(update), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private (MediaSource Source, bool IsUrl) Open(SourceRequest request)
    {
        var allowed = policy.Check(request.Source, out var refusal)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"Source refused: {refusal}"));
        var isUrl = !Path.IsPathFullyQualified(allowed);
        try
        {
            return (isUrl ? MediaSource.FromUrl(allowed) : MediaSource.FromFile(allowed), isUrl);
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message.Split(" (Parameter", 2)[0]));
        }
    }
}
