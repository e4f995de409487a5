namespace V2AStream.Core.Scenes;

/// <summary>
/// A scene whose bounds are decided: frames [<see cref="StartFrame"/>, <see cref="EndFrameExclusive"/>), media time
/// [<see cref="StartSeconds"/>, <see cref="EndSeconds"/>).
/// </summary>
/// <param name="Index">0 for the first scene of the stream.</param>
/// <param name="Score">The detector's score for the cut that opened it (0 for the first scene).</param>
/// <param name="Mean">The mean embedding of its frames (empty for a scene of no frames).</param>
public sealed record TrackedScene(int Index, int StartFrame, int EndFrameExclusive, double StartSeconds, double EndSeconds, double Score, float[] Mean);
