namespace V2AStream.Core.Scenes;

/// <summary>Creates detectors by kind or by name ("robust", "paper"), validating the options first.</summary>
public static class SceneDetectors
{
    /// <summary>The names <see cref="ParseKind"/> accepts, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["robust", "paper"];

    /// <summary>Maps "robust" or "paper" (any case) to its kind.</summary>
    public static SceneDetectorKind ParseKind(string name) => name.Trim().ToLowerInvariant() switch
    {
        "robust" => SceneDetectorKind.Robust,
        "paper" => SceneDetectorKind.Paper,
        _ => throw new SceneDetectionException(
            SceneDetectionError.UnknownDetector, $"unknown scene detector '{name}': use one of {string.Join(", ", Names)}."),
    };

    /// <summary>An offline detector of <see cref="SceneDetectorOptions.Detector"/>'s kind.</summary>
    public static ISceneDetector Create(SceneDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Detector switch
        {
            SceneDetectorKind.Robust => new RobustSceneDetector(options),
            SceneDetectorKind.Paper => new PaperSceneDetector(options),
            _ => throw new SceneDetectionException(SceneDetectionError.UnknownDetector, $"unknown scene detector kind {options.Detector}."),
        };
    }

    /// <summary>A streaming detector (robust only; the paper detector needs the whole sequence); <paramref name="onBoundary"/> hears every decided boundary.</summary>
    public static IncrementalSceneDetector CreateIncremental(SceneDetectorOptions options, int dimension, Action<BoundaryScore>? onBoundary = null) => new(options, dimension, onBoundary);
}
