using V2AStream.Core.Media;

namespace V2AStream.Core.Embedding;

/// <summary>Conveniences over <see cref="IFrameEmbedder"/>.</summary>
public static class FrameEmbedderExtensions
{
    /// <summary>The embeddings of <paramref name="frames"/>, one array per frame.</summary>
    public static async Task<float[][]> EmbedAsync(this IFrameEmbedder embedder, IReadOnlyList<VideoFrame> frames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(frames);
        var flat = new float[frames.Count * embedder.Dim];
        await embedder.EmbedAsync(frames, flat, cancellationToken).ConfigureAwait(false);
        var rows = new float[frames.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = flat.AsSpan(i * embedder.Dim, embedder.Dim).ToArray();
        }

        return rows;
    }

    /// <summary>Checks that <paramref name="frames"/> match the embedder's geometry and the output is large enough.</summary>
    internal static void CheckArguments(this IFrameEmbedder embedder, IReadOnlyList<VideoFrame> frames, Memory<float> embeddings)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (embeddings.Length < frames.Count * embedder.Dim)
        {
            throw new ArgumentException($"The output holds {embeddings.Length} floats; {frames.Count} frames need {frames.Count * embedder.Dim}.", nameof(embeddings));
        }

        foreach (var frame in frames)
        {
            if (frame.Width != embedder.Geometry.Width || frame.Height != embedder.Geometry.Height)
            {
                throw new ArgumentException(
                    $"Frame {frame.Index} is {frame.Width}x{frame.Height}; {embedder.Name} needs {embedder.Geometry.Width}x{embedder.Geometry.Height} (read frames with the embedder's Geometry).",
                    nameof(frames));
            }
        }
    }
}
