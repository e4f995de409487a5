using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class BoundaryScoreTests
{
    private const int Dimension = 32;

    [Fact]
    public void Robust_EveryBoundaryOnceInOrder_WithTheThresholdItWasHeldTo()
    {
        var options = new SceneDetectorOptions { WindowSeconds = 30 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 100, Dimension, cutFrames: [30, 70], seed: 4);

        var result = SceneDetectors.Create(options).Detect(embeddings, Dimension);

        Assert.Equal(Enumerable.Range(1, 99), result.Boundaries.Select(b => b.Frame));
        Assert.Equal(result.Cuts.Select(c => c.Frame), result.Boundaries.Where(b => b.IsCut).Select(b => b.Frame));
        Assert.All(result.Boundaries, b => Assert.InRange(b.Threshold, options.ScoreFloor, 2 * options.ScoreFloor));
        Assert.All(result.Boundaries, b => Assert.Equal((options.ScoreFloor, options.MinRelativeChange), (b.Floor, b.MinimumChange)));
        Assert.All(result.Boundaries.Where(b => b.IsCut), b => Assert.True(b.Score > b.Threshold && b.Change > b.MinimumChange));
        Assert.Equal(result.Boundaries.Select(b => b.Frame / options.FramesPerSecond), result.Boundaries.Select(b => b.TimeSeconds));
    }

    [Fact]
    public void Incremental_ReportsTheSameBoundariesAsOfflineWhenTheWindowCoversAll()
    {
        var options = new SceneDetectorOptions { WindowSeconds = 30, LookaheadFrames = 3 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 100, Dimension, cutFrames: [30, 70], seed: 4);
        var reported = new List<BoundaryScore>();
        var detector = SceneDetectors.CreateIncremental(options, Dimension, reported.Add);

        for (var t = 0; t < 100; t++)
        {
            detector.Push(embeddings.AsSpan(t * Dimension, Dimension));
        }

        detector.Complete();

        Assert.Equal(SceneDetectors.Create(options).Detect(embeddings, Dimension).Boundaries, reported);
    }

    [Fact]
    public void Paper_ScoreIsDsAndThresholdTauTimesItsStd_NoFloor()
    {
        var options = new SceneDetectorOptions { Detector = SceneDetectorKind.Paper, Tau = 2 };
        var embeddings = SyntheticEmbeddings.Shots(frames: 40, Dimension, cutFrames: [20], seed: 6);

        var boundaries = SceneDetectors.Create(options).Detect(embeddings, Dimension).Boundaries;

        var scores = boundaries.Select(b => b.Score).ToArray();
        var mean = scores.Average();
        var std = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Length);
        Assert.Equal(39, boundaries.Count);
        Assert.All(boundaries, b => Assert.Equal(2 * std, b.Threshold, 9));
        Assert.All(boundaries, b => Assert.Equal(b.Score > b.Threshold, b.IsCut));
        Assert.All(boundaries, b => Assert.Null(b.Floor));
        Assert.Contains(boundaries, b => b.Frame == 20 && b.IsCut);
    }
}
