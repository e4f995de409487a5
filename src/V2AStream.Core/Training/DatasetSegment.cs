namespace V2AStream.Core.Training;

/// <summary>One row of a mapper dataset: the part of <paramref name="Video"/> from <paramref name="StartSeconds"/> to
/// <paramref name="EndSeconds"/> (media time, the frame clock of DESIGN.md section 3), scene <paramref name="SceneIndex"/> of that video.</summary>
public sealed record DatasetSegment(string Video, double StartSeconds, double EndSeconds, int SceneIndex);
