namespace V2AStream.Core.Scenes;

/// <summary>Checks shared by the detectors at their edge: shape and finiteness of embeddings.</summary>
internal static class EmbeddingInput
{
    public static int CountFrames(ReadOnlySpan<float> embeddings, int dimension)
    {
        if (dimension <= 0)
        {
            throw new SceneDetectionException(SceneDetectionError.DimensionMismatch, $"embedding dimension must be > 0, got {dimension}.");
        }

        if (embeddings.Length % dimension != 0)
        {
            throw new SceneDetectionException(
                SceneDetectionError.DimensionMismatch,
                $"{embeddings.Length} values are not a whole number of {dimension}-dimensional embeddings: pass a [frames, {dimension}] array.");
        }

        return embeddings.Length / dimension;
    }

    public static void RequireFinite(ReadOnlySpan<float> embedding, int frame)
    {
        foreach (var value in embedding)
        {
            if (!float.IsFinite(value))
            {
                throw new SceneDetectionException(
                    SceneDetectionError.NonFiniteEmbedding, $"embedding of frame {frame} holds {value}: the embedder produced NaN or infinity.");
            }
        }
    }
}
