using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class IncrementalSceneDetectorTests
{
    [Fact]
    public void Push_RandomSequencesWithPlantedCuts_EqualsOfflineExactlyWhenWindowCoversAll()
    {
        var random = new Random(20261122);
        for (var trial = 0; trial < 60; trial++)
        {
            var frames = random.Next(0, 160);
            var dimension = new[] { 1, 3, 17, 64, 100 }[random.Next(5)];
            var fps = new[] { 2.0, 4.0, 10.0, 25.0 }[random.Next(4)];
            var options = new SceneDetectorOptions
            {
                FramesPerSecond = fps,
                LookaheadFrames = random.Next(0, 4),
                MinSceneSeconds = random.Next(0, 3) * 0.5,
                WindowSeconds = (frames + random.Next(10, 30)) / fps,
                Tau = 2 + (random.NextDouble() * 4),
                ScoreFloor = random.NextDouble(),
            };
            var cuts = SyntheticEmbeddings.RandomCuts(random, frames, minimumGap: random.Next(1, 8), maxCuts: 12);
            var embeddings = SyntheticEmbeddings.Shots(frames, dimension, cuts, seed: trial, noise: random.NextDouble(), normalize: random.Next(2) == 0);

            var offline = SceneDetectors.Create(options).Detect(embeddings, dimension);
            var incremental = RunIncremental(options, embeddings, dimension, out _);

            Assert.Equal(offline.Cuts, incremental.Cuts);
            Assert.Equal(offline.Scenes, incremental.Scenes);
        }
    }

    [Fact]
    public void Push_LongStreamWithSlidingWindow_FindsEveryPlantedCutAsOfflineDoes()
    {
        const int dimension = 48;
        var cuts = Enumerable.Range(1, 99).Select(k => (k * 20) + (k % 7)).ToArray();
        var embeddings = SyntheticEmbeddings.Shots(frames: 2000, dimension, cuts, seed: 9);
        var options = new SceneDetectorOptions();

        var incremental = RunIncremental(options, embeddings, dimension, out _);
        var offline = SceneDetectors.Create(options).Detect(embeddings, dimension);

        Assert.Equal(cuts, incremental.Cuts.Select(c => c.Frame));
        Assert.Equal(offline.Cuts.Select(c => c.Frame), incremental.Cuts.Select(c => c.Frame));
        for (var i = 0; i < cuts.Length; i++)
        {
            Assert.Equal(offline.Cuts[i].Score, incremental.Cuts[i].Score, 9);
        }
    }

    [Fact]
    public void Push_CutFrame_ProvisionalAtOnceFinalAfterLookahead()
    {
        const int dimension = 32;
        var embeddings = SyntheticEmbeddings.Shots(frames: 40, dimension, cutFrames: [20], seed: 10);
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions { LookaheadFrames = 2 }, dimension);

        var eventsByFrame = new List<IReadOnlyList<SceneCutEvent>>();
        for (var t = 0; t < 40; t++)
        {
            eventsByFrame.Add(detector.Push(embeddings.AsSpan(t * dimension, dimension)));
        }

        var provisional = Assert.Single(eventsByFrame[20]);
        Assert.Equal(SceneCutEventKind.Provisional, provisional.Kind);
        Assert.Equal(20, provisional.Cut.Frame);
        var final = Assert.Single(eventsByFrame[22]);
        Assert.Equal(SceneCutEventKind.Final, final.Kind);
        Assert.Equal(20, final.Cut.Frame);
        Assert.Equal(5.0, final.Cut.TimeSeconds);
        Assert.Equal(2, eventsByFrame.Sum(e => e.Count));
        Assert.Empty(detector.Complete());
    }

    [Fact]
    public void Push_ZeroLookahead_FinalOnTheCutFrameWithoutProvisional()
    {
        const int dimension = 32;
        var embeddings = SyntheticEmbeddings.Shots(frames: 40, dimension, cutFrames: [20], seed: 10);
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions { LookaheadFrames = 0 }, dimension);

        for (var t = 0; t < 40; t++)
        {
            var events = detector.Push(embeddings.AsSpan(t * dimension, dimension));
            if (t == 20)
            {
                Assert.Equal(SceneCutEventKind.Final, Assert.Single(events).Kind);
            }
            else
            {
                Assert.Empty(events);
            }
        }
    }

    [Fact]
    public void Push_AnyStream_EveryProvisionalIsSettledAndFinalsMatchCuts()
    {
        var random = new Random(5);
        const int dimension = 24;
        var cuts = SyntheticEmbeddings.RandomCuts(random, 300, minimumGap: 2, maxCuts: 60);
        var embeddings = SyntheticEmbeddings.Shots(300, dimension, cuts, seed: 11, noise: 0.8);
        var result = RunIncremental(new SceneDetectorOptions { LookaheadFrames = 3 }, embeddings, dimension, out var events);

        var open = new HashSet<int>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case SceneCutEventKind.Provisional:
                    Assert.True(open.Add(e.Cut.Frame));
                    break;
                default:
                    open.Remove(e.Cut.Frame);
                    break;
            }
        }

        Assert.Empty(open);
        Assert.Equal(result.Cuts, events.Where(e => e.Kind == SceneCutEventKind.Final).Select(e => e.Cut));
    }

    [Fact]
    public void Complete_CutInsideLastLookahead_IsDecidedAtEndOfStream()
    {
        const int dimension = 64;
        var embeddings = SyntheticEmbeddings.Shots(frames: 31, dimension, cutFrames: [30], seed: 12);
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions { LookaheadFrames = 2 }, dimension);
        for (var t = 0; t < 31; t++)
        {
            detector.Push(embeddings.AsSpan(t * dimension, dimension));
        }

        var final = Assert.Single(detector.Complete());

        Assert.Equal(SceneCutEventKind.Final, final.Kind);
        Assert.Equal(30, final.Cut.Frame);
        Assert.Equal([0, 30], detector.ToResult().Scenes.Select(s => s.StartFrame));
    }

    [Fact]
    public void Push_WrongDimension_ThrowsDimensionMismatch()
    {
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions(), dimension: 8);
        detector.Push(new float[8]);

        var error = Assert.Throws<SceneDetectionException>(() => detector.Push(new float[9]));

        Assert.Equal(SceneDetectionError.DimensionMismatch, error.Reason);
        Assert.Contains("expects 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_InfiniteValue_ThrowsNonFinite()
    {
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions(), dimension: 2);

        var error = Assert.Throws<SceneDetectionException>(() => detector.Push([1, float.PositiveInfinity]));

        Assert.Equal(SceneDetectionError.NonFiniteEmbedding, error.Reason);
    }

    [Fact]
    public void Push_AfterComplete_ThrowsInvalidState()
    {
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions(), dimension: 2);
        detector.Complete();

        var error = Assert.Throws<SceneDetectionException>(() => detector.Push([1, 2]));

        Assert.Equal(SceneDetectionError.InvalidState, error.Reason);
    }

    [Fact]
    public void CreateIncremental_PaperDetector_ThrowsInvalidState()
    {
        var error = Assert.Throws<SceneDetectionException>(
            () => SceneDetectors.CreateIncremental(new SceneDetectorOptions { Detector = SceneDetectorKind.Paper }, dimension: 4));

        Assert.Equal(SceneDetectionError.InvalidState, error.Reason);
    }

    private static SceneDetectionResult RunIncremental(SceneDetectorOptions options, float[] embeddings, int dimension, out List<SceneCutEvent> events)
    {
        var detector = SceneDetectors.CreateIncremental(options, dimension);
        events = [];
        for (var t = 0; t < embeddings.Length / dimension; t++)
        {
            events.AddRange(detector.Push(embeddings.AsSpan(t * dimension, dimension)));
        }

        events.AddRange(detector.Complete());
        return detector.ToResult();
    }
}
