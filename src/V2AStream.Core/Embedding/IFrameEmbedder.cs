using V2AStream.Core.Media;

namespace V2AStream.Core.Embedding;

/// <summary>
/// Turns sampled frames into fixed-length vectors. Frames must have <see cref="Geometry"/>'s size (configure the
/// <see cref="FrameReader"/> with it). Implementations are thread-safe: several streams may embed at once.
/// </summary>
public interface IFrameEmbedder : IDisposable
{
    /// <summary>A short name for logs and emb.json, e.g. "builtin-pixel" or "mobilenetv2-12-int8-embedding".</summary>
    string Name { get; }

    /// <summary>Length of one embedding.</summary>
    int Dim { get; }

    /// <summary>The frame size and resize rule this embedder expects.</summary>
    FrameGeometry Geometry { get; }

    /// <summary>The most frames one <see cref="EmbedAsync"/> call should carry (larger batches are split).</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Writes the embeddings of <paramref name="frames"/> into <paramref name="embeddings"/>, row-major
    /// (<c>frames.Count * Dim</c> floats, frame i at <c>[i * Dim, (i + 1) * Dim)</c>). The frames stay owned by the caller.
    /// </summary>
    Task EmbedAsync(IReadOnlyList<VideoFrame> frames, Memory<float> embeddings, CancellationToken cancellationToken);
}
