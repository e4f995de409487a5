namespace V2AStream.Core.Scenes;

/// <summary>
/// The cuts found in a sequence of <see cref="FrameCount"/> embeddings and the scenes they delimit. A sequence with at
/// least one frame has at least one scene; scenes tile frames 0..FrameCount-1 in order.
/// </summary>
public sealed record SceneDetectionResult(int FrameCount, double FramesPerSecond, IReadOnlyList<SceneCut> Cuts, IReadOnlyList<Scene> Scenes)
{
    /// <summary>Every boundary's score and threshold, in frame order (empty when the detector does not report them).</summary>
    public IReadOnlyList<BoundaryScore> Boundaries { get; init; } = [];

    /// <summary>Builds the scenes from cuts sorted by frame, each cut being the first frame of a new scene.</summary>
    public static SceneDetectionResult FromCuts(int frameCount, double framesPerSecond, IReadOnlyList<SceneCut> cuts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        var scenes = new List<Scene>(cuts.Count + 1);
        if (frameCount > 0)
        {
            var start = 0;
            foreach (var cut in cuts)
            {
                scenes.Add(CreateScene(start, cut.Frame - 1, framesPerSecond));
                start = cut.Frame;
            }

            scenes.Add(CreateScene(start, frameCount - 1, framesPerSecond));
        }

        return new SceneDetectionResult(frameCount, framesPerSecond, cuts.ToArray(), scenes);
    }

    private static Scene CreateScene(int startFrame, int endFrame, double framesPerSecond) =>
        new(startFrame, endFrame, startFrame / framesPerSecond, (endFrame + 1) / framesPerSecond);
}
