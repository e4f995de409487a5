namespace V2AStream.Core.Pipeline;

/// <summary>A scene whose bounds are decided: [<see cref="StartSeconds"/>, <see cref="EndSeconds"/>) of media time.</summary>
/// <param name="Score">The detector's score for the cut that started it (0 for the first scene).</param>
/// <param name="Labels">Names the mapper gives the scene's sound, best first (empty when it gives none).</param>
public sealed record SceneUpdate(int SceneIndex, int StartFrame, int EndFrameExclusive, double StartSeconds, double EndSeconds, double Score, IReadOnlyList<string> Labels) : PipelineEvent;
