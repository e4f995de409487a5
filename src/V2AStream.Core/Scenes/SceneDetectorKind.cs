namespace V2AStream.Core.Scenes;

/// <summary>The scene detectors the engine offers (DESIGN.md section 4).</summary>
public enum SceneDetectorKind
{
    /// <summary>Robust threshold, non-maximum suppression, minimum scene length, incremental over a sliding window. The default.</summary>
    Robust,

    /// <summary>The V2A-SceneDetector seed formula as published, with a scene starting at p+1. Offline only.</summary>
    Paper,
}
