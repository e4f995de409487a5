using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;

namespace V2AStream.Testing.Models;

/// <summary>
/// "test-gated" in the embedder slot: the builtin embedder, built only once the test opens <see cref="Gate"/> (or the
/// load is cancelled), failing while <see cref="Fail"/> is set. Counts what it built and what was disposed.
/// </summary>
public sealed class GatedKind : ModelPartKind<EmbedderSpec, IFrameEmbedder>
{
    private int _started;
    private int _built;
    private int _disposed;

    public override ModelPartSlot Slot => ModelPartSlot.Embedder;

    public override string Name => "test-gated";

    /// <summary>Released (once per build) to let a build finish.</summary>
    public SemaphoreSlim Gate { get; } = new(0);

    /// <summary>Signalled each time a build starts waiting at the gate.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    /// <summary>While set, a build that passes the gate fails with MissingFile.</summary>
    public bool Fail { get; set; }

    public int BuildsStarted => Volatile.Read(ref _started);

    public int Built => Volatile.Read(ref _built);

    public int Disposed => Volatile.Read(ref _disposed);

    public override IFrameEmbedder Create(EmbedderSpec spec, ModelPartContext context)
    {
        Interlocked.Increment(ref _started);
        Started.Release();
        Gate.Wait(context.CancellationToken);
        if (Fail)
        {
            throw new ModelSetException(ModelSetErrorReason.MissingFile, "test-gated: the weights are missing (the test says so).");
        }

        Interlocked.Increment(ref _built);
        return new Counted(this);
    }

    public override ModelPartDimensions Dimensions(IFrameEmbedder part) => new(null, part.Dim);

    /// <summary>Passes without building, so listing the sets never waits at the gate.</summary>
    public override ModelPartReport Check(EmbedderSpec spec, ModelPartContext context) =>
        new([new ModelPartCheck(Slot.Name, Name, null, true, "test kind")], new ModelPartDimensions(null, BuiltinPixelEmbedder.Dimension));

    private sealed class Counted(GatedKind kind) : IFrameEmbedder
    {
        private readonly BuiltinPixelEmbedder _inner = new();

        public string Name => "test-gated";

        public int Dim => _inner.Dim;

        public FrameGeometry Geometry => _inner.Geometry;

        public int MaxBatchSize => _inner.MaxBatchSize;

        public Task EmbedAsync(IReadOnlyList<VideoFrame> frames, Memory<float> embeddings, CancellationToken cancellationToken) =>
            _inner.EmbedAsync(frames, embeddings, cancellationToken);

        public void Dispose() => Interlocked.Increment(ref kind._disposed);
    }
}
