namespace V2AStream.Core.Scenes;

/// <summary>An offline scene detector: it sees the whole sequence of embeddings at once.</summary>
public interface ISceneDetector
{
    /// <summary>
    /// Finds the cuts in <paramref name="embeddings"/>, a row-major [T, dimension] array (one embedding per frame).
    /// Throws <see cref="SceneDetectionException"/> when the length is not a multiple of the dimension or a value is not finite.
    /// </summary>
    SceneDetectionResult Detect(ReadOnlySpan<float> embeddings, int dimension);
}
