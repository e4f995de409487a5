using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class RobustSceneDetectorTests
{
    private static readonly SceneDetectorOptions Defaults = new();

    private static SceneDetectionResult Detect(float[] embeddings, int dimension, SceneDetectorOptions? options = null) =>
        SceneDetectors.Create(options ?? Defaults).Detect(embeddings, dimension);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detect_PlantedCuts_FindsEachAtItsFirstFrame(bool normalize)
    {
        int[] cuts = [20, 45, 70, 100];
        var embeddings = SyntheticEmbeddings.Shots(frames: 128, dimension: 64, cuts, seed: 1, normalize: normalize);

        var result = Detect(embeddings, 64);

        Assert.Equal(cuts, result.Cuts.Select(c => c.Frame));
        Assert.Equal([0, 20, 45, 70, 100], result.Scenes.Select(s => s.StartFrame));
        Assert.Equal(127, result.Scenes[^1].EndFrame);
        Assert.Equal(5.0, result.Cuts[0].TimeSeconds);
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(0.3, true)]
    [InlineData(1.0, false)]
    [InlineData(0.0, false)]
    public void Detect_WindowWithoutCut_FlagsNothing(double noise, bool normalize)
    {
        // The paper's threshold flags every frame of such a window (reference flaw 3); the floor must not.
        var embeddings = SyntheticEmbeddings.Shots(frames: 64, dimension: 64, cutFrames: [], seed: 2, noise: noise, normalize: normalize);

        var result = Detect(embeddings, 64);

        Assert.Empty(result.Cuts);
        Assert.Single(result.Scenes);
    }

    [Fact]
    public void Detect_SlowDriftWithoutCut_FlagsNothing()
    {
        const int frames = 80;
        const int dimension = 16;
        var embeddings = new float[frames * dimension];
        for (var t = 0; t < frames; t++)
        {
            for (var d = 0; d < dimension; d++)
            {
                embeddings[(t * dimension) + d] = (float)(5 + Math.Sin((0.05 * t) + d));
            }
        }

        Assert.Empty(Detect(embeddings, dimension).Cuts);
    }

    [Fact]
    public void Detect_CutEveryTwoSeconds_FindsEveryCut()
    {
        // 8-frame shots at 4 fps: one frame in eight starts a shot (the paper's std threshold misses cuts above ~4%).
        var cuts = Enumerable.Range(1, 15).Select(k => k * 8).ToArray();
        var embeddings = SyntheticEmbeddings.Shots(frames: 128, dimension: 64, cuts, seed: 3);

        var result = Detect(embeddings, 64);

        Assert.Equal(cuts, result.Cuts.Select(c => c.Frame));
    }

    [Fact]
    public void Detect_CutsCloserThanMinimumSceneLength_KeepsScenesAtLeastThatLong()
    {
        // At 10 fps the 1 s minimum is 10 frames: the cut 6 frames after the first one is dropped, the next kept.
        var embeddings = SyntheticEmbeddings.Shots(frames: 80, dimension: 64, cutFrames: [20, 26, 32, 60], seed: 4);

        var result = Detect(embeddings, 64, Defaults with { FramesPerSecond = 10 });

        Assert.Equal([20, 32, 60], result.Cuts.Select(c => c.Frame));
        Assert.All(result.Scenes, scene => Assert.True(scene.EndFrame - scene.StartFrame + 1 >= 10, $"scene {scene} is shorter than 1 s"));
    }

    [Fact]
    public void Detect_ZeroMinimumSceneLength_AllowsShortScenes()
    {
        var embeddings = SyntheticEmbeddings.Shots(frames: 80, dimension: 64, cutFrames: [20, 26, 32, 60], seed: 4);

        var result = Detect(embeddings, 64, Defaults with { FramesPerSecond = 10, MinSceneSeconds = 0 });

        Assert.Equal([20, 26, 32, 60], result.Cuts.Select(c => c.Frame));
    }

    [Theory]
    [InlineData(0.01, 1f)]
    [InlineData(0.04, 1f)]
    [InlineData(0.04, 1000f)]
    [InlineData(0.04, 0.001f)]
    public void Detect_StillPictureWithCodecFlicker_FlagsNothing(double flicker, float scale)
    {
        // A static picture barely moves its embeddings, so relative to the window's own spread the flicker at each
        // keyframe stands out like a cut; only the absolute floor on the change tells the two apart.
        var embeddings = SyntheticEmbeddings.StillPicture(frames: 80, dimension: 256, seed: 8, flicker).Select(v => v * scale).ToArray();

        var result = Detect(embeddings, 256);

        Assert.Empty(result.Cuts);
        Assert.Single(result.Scenes);
    }

    [Fact]
    public void Detect_StillPictureWithoutChangeFloor_FlagsTheFlicker()
    {
        var embeddings = SyntheticEmbeddings.StillPicture(frames: 80, dimension: 256, seed: 8, flicker: 0.04);

        var result = Detect(embeddings, 256, Defaults with { MinRelativeChange = 0 });

        Assert.NotEmpty(result.Cuts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detect_StillPictureThenCut_FindsOnlyTheCut(bool normalize)
    {
        var still = SyntheticEmbeddings.StillPicture(frames: 40, dimension: 256, seed: 9, flicker: 0.04);
        var other = SyntheticEmbeddings.StillPicture(frames: 40, dimension: 256, seed: 10, flicker: 0.04);
        var embeddings = still.Concat(other).ToArray();
        if (normalize)
        {
            for (var t = 0; t < 80; t++)
            {
                var row = embeddings.AsSpan(t * 256, 256);
                var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(row));
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }

        var result = Detect(embeddings, 256);

        Assert.Equal([40], result.Cuts.Select(c => c.Frame));
    }

    [Fact]
    public void Detect_ScaledAndShiftedEmbeddings_SameCuts()
    {
        int[] cuts = [15, 50];
        var embeddings = SyntheticEmbeddings.Shots(frames: 64, dimension: 32, cuts, seed: 5);
        var scaled = embeddings.Select((v, i) => (v * 1000f) + (i % 32)).ToArray();
        var shrunk = embeddings.Select(v => v * 0.001f).ToArray();

        var reference = Detect(embeddings, 32).Cuts.Select(c => c.Frame);

        Assert.Equal(cuts, reference);
        Assert.Equal(reference, Detect(scaled, 32).Cuts.Select(c => c.Frame));
        Assert.Equal(reference, Detect(shrunk, 32).Cuts.Select(c => c.Frame));
    }

    [Fact]
    public void Detect_CleanCutBetweenTwoShots_ScoresAboutTwo()
    {
        var embeddings = SyntheticEmbeddings.Shots(frames: 30, dimension: 64, cutFrames: [12], seed: 6, noise: 0.01);

        var cut = Assert.Single(Detect(embeddings, 64).Cuts);

        Assert.InRange(cut.Score, 1.8, 2.0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Detect_FewerThanTwoFrames_NoCut(int frames)
    {
        var result = Detect(new float[frames * 4], 4);

        Assert.Empty(result.Cuts);
        Assert.Equal(frames, result.Scenes.Count);
    }

    [Fact]
    public void Detect_LengthNotAMultipleOfDimension_ThrowsDimensionMismatch()
    {
        var error = Assert.Throws<SceneDetectionException>(() => Detect(new float[10], 4));

        Assert.Equal(SceneDetectionError.DimensionMismatch, error.Reason);
    }
}
