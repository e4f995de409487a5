namespace V2AStream.Core.Scenes;

/// <summary>Why scene detection refused its input or options.</summary>
public enum SceneDetectionError
{
    /// <summary>An option is out of range.</summary>
    InvalidOptions,

    /// <summary>No detector has the requested name.</summary>
    UnknownDetector,

    /// <summary>An embedding's length differs from the detector's dimension, or the array is not a whole number of rows.</summary>
    DimensionMismatch,

    /// <summary>An embedding holds NaN or infinity.</summary>
    NonFiniteEmbedding,

    /// <summary>The detector only works offline, or was used after <see cref="IncrementalSceneDetector.Complete"/>.</summary>
    InvalidState,
}
