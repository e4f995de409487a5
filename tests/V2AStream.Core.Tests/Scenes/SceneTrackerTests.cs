using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class SceneTrackerTests
{
    private const int Dimension = 24;
    private const double Fps = 4;

    [Fact]
    public void PushAndComplete_PlantedCuts_ScenesTileTheStreamAsTheOfflineDetectorsDo()
    {
        var options = new SceneDetectorOptions { FramesPerSecond = Fps, WindowSeconds = 40 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 120, Dimension, cutFrames: [30, 55, 90], seed: 3);
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(options, Dimension), Fps);

        var scenes = Track(tracker, embeddings);
        var offline = SceneDetectors.Create(options).Detect(embeddings, Dimension);

        Assert.Equal(offline.Scenes.Select(s => (s.StartFrame, s.EndFrame + 1, s.StartSeconds, s.EndSeconds)), scenes.Select(s => (s.StartFrame, s.EndFrameExclusive, s.StartSeconds, s.EndSeconds)));
        Assert.Equal([0, 1, 2, 3], scenes.Select(s => s.Index));
        Assert.Equal([0.0, .. offline.Cuts.Select(c => c.Score)], scenes.Select(s => s.Score));
        Assert.Equal(4, tracker.SceneCount);
        Assert.Empty(tracker.Complete());
    }

    [Fact]
    public void Push_ScenesCloseOnlyOnceTheLookaheadHasPassed()
    {
        var options = new SceneDetectorOptions { FramesPerSecond = Fps, LookaheadFrames = 2 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 40, Dimension, cutFrames: [20], seed: 10);
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(options, Dimension), Fps);

        var closedAt = new List<int>();
        for (var t = 0; t < 40; t++)
        {
            if (tracker.Push(Row(embeddings, t)).Count > 0)
            {
                closedAt.Add(t);
            }

            Assert.Equal(Math.Max(0, t + 1 - 2), tracker.DecidedFrames);
        }

        Assert.Equal([22], closedAt);
        Assert.Equal(20, tracker.SceneStartFrame);
    }

    [Fact]
    public void Complete_ClosedScenes_CarryTheMeanOfTheirOwnFrames()
    {
        var options = new SceneDetectorOptions { FramesPerSecond = Fps };
        var embeddings = SyntheticEmbeddings.Shots(frames: 60, Dimension, cutFrames: [25], seed: 5);
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(options, Dimension), Fps);

        var scenes = Track(tracker, embeddings);

        Assert.Equal(2, scenes.Count);
        foreach (var scene in scenes)
        {
            var expected = MeanOf(embeddings, scene.StartFrame, scene.EndFrameExclusive);
            Assert.Equal(expected, scene.Mean, (a, b) => Math.Abs(a - b) <= 1e-5f);
        }
    }

    [Fact]
    public void OpenSceneMean_DecidedOrAlsoUndecidedFrames()
    {
        var options = new SceneDetectorOptions { FramesPerSecond = Fps, LookaheadFrames = 2 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 10, Dimension, cutFrames: [], seed: 8);
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(options, Dimension), Fps);
        for (var t = 0; t < 10; t++)
        {
            tracker.Push(Row(embeddings, t));
        }

        Assert.Equal(MeanOf(embeddings, 0, 8), tracker.OpenSceneMean(includeUndecided: false), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(MeanOf(embeddings, 0, 10), tracker.OpenSceneMean(includeUndecided: true), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void ReleaseFramesBefore_KeepsUndecidedFramesAndMeansOfTheRest()
    {
        var options = new SceneDetectorOptions { FramesPerSecond = Fps, LookaheadFrames = 2 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 10, Dimension, cutFrames: [], seed: 8);
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(options, Dimension), Fps);
        for (var t = 0; t < 10; t++)
        {
            tracker.Push(Row(embeddings, t));
        }

        tracker.ReleaseFramesBefore(100);

        Assert.Equal(MeanOf(embeddings, 8, 10), tracker.MeanOfFrames(8, 9), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(MeanOf(embeddings, 0, 10), tracker.OpenSceneMean(includeUndecided: true), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Push_AfterComplete_Throws()
    {
        var tracker = new SceneTracker(SceneDetectors.CreateIncremental(new SceneDetectorOptions(), 2), Fps);
        tracker.Complete();

        Assert.Throws<SceneDetectionException>(() => tracker.Push([1f, 2f]));
    }

    private static List<TrackedScene> Track(SceneTracker tracker, float[] embeddings)
    {
        var scenes = new List<TrackedScene>();
        for (var t = 0; t < embeddings.Length / Dimension; t++)
        {
            scenes.AddRange(tracker.Push(Row(embeddings, t)));
        }

        scenes.AddRange(tracker.Complete());
        return scenes;
    }

    private static float[] Row(float[] embeddings, int frame) => embeddings.AsSpan(frame * Dimension, Dimension).ToArray();

    private static float[] MeanOf(float[] embeddings, int first, int endExclusive)
    {
        var mean = new double[Dimension];
        for (var t = first; t < endExclusive; t++)
        {
            for (var d = 0; d < Dimension; d++)
            {
                mean[d] += embeddings[(t * Dimension) + d];
            }
        }

        return mean.Select(v => (float)(v / (endExclusive - first))).ToArray();
    }
}
