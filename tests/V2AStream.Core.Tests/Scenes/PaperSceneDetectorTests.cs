using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class PaperSceneDetectorTests
{
    private static SceneDetectionResult Detect(float[] embeddings, int dimension, double tau, double fps = 4) =>
        SceneDetectors.Create(new SceneDetectorOptions { Detector = SceneDetectorKind.Paper, Tau = tau, FramesPerSecond = fps })
            .Detect(embeddings, dimension);

    [Fact]
    public void Detect_StepInOneDimension_NewSceneStartsAtFirstFrameAfterTheStep()
    {
        // x = 0,0,0,1,1,1: S_c[i,j] - S_c[i+1,j] = (x_i - x_{i+1})(x_j - 0.5), so dS = [0, 0, 3, 0, 0],
        // mean 0.6, population std sqrt(9/5 - 0.36) = 1.2. The peak is at i = 2 (the last old frame); the scene starts at 3.
        var result = Detect([0, 0, 0, 1, 1, 1], dimension: 1, tau: 2);

        var cut = Assert.Single(result.Cuts);
        Assert.Equal(3, cut.Frame);
        Assert.Equal(0.75, cut.TimeSeconds);
        Assert.Equal(3.0, cut.Score, 6);
        Assert.Equal([new Scene(0, 2, 0, 0.75), new Scene(3, 5, 0.75, 1.5)], result.Scenes);
    }

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(2.2, false)]
    public void Detect_TwoOrthogonalShots_ThresholdIsTauTimesPopulationStd(double tau, bool cutExpected)
    {
        // S = [[1,1,0,0],[1,1,0,0],[0,0,1,1],[0,0,1,1]], row and column means 0.5, so S_c = S - 1 and dS = [0, 4, 0]:
        // population std = sqrt(16/3 - 16/9) = 1.8856, and 4 > tau * 1.8856 exactly when tau < 2.1213.
        var result = Detect([1, 0, 1, 0, 0, 1, 0, 1], dimension: 2, tau: tau);

        if (cutExpected)
        {
            var cut = Assert.Single(result.Cuts);
            Assert.Equal(2, cut.Frame);
            Assert.Equal(4.0, cut.Score, 6);
            Assert.Equal([new Scene(0, 1, 0, 0.5), new Scene(2, 3, 0.5, 1.0)], result.Scenes);
        }
        else
        {
            Assert.Empty(result.Cuts);
            Assert.Equal([new Scene(0, 3, 0, 1.0)], result.Scenes);
        }
    }

    [Fact]
    public void Detect_SteadyRampWithoutCut_FlagsEveryFrameAsThePaperDoes()
    {
        // x = 0..4: every dS_i = 1 * sum_j |x_j - 2| = 6, so std(dS) = 0 and every frame passes dS_i > 5 * 0
        // (reference/scene-detection.md, flaws 3 and 4): one-frame scenes, kept on purpose.
        var result = Detect([0, 1, 2, 3, 4], dimension: 1, tau: 5);

        Assert.Equal([1, 2, 3, 4], result.Cuts.Select(c => c.Frame));
        Assert.All(result.Cuts, c => Assert.Equal(6.0, c.Score, 6));
    }

    [Fact]
    public void Detect_ManyFramesWithOnePlantedCut_FindsItWithDefaultTau()
    {
        var embeddings = SyntheticEmbeddings.Shots(frames: 64, dimension: 32, cutFrames: [40], seed: 7, noise: 0.05);

        var result = Detect(embeddings, dimension: 32, tau: 5);

        Assert.Equal([40], result.Cuts.Select(c => c.Frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Detect_FewerThanTwoFrames_NoCut(int frames)
    {
        var result = Detect(new float[frames * 3], dimension: 3, tau: 5);

        Assert.Empty(result.Cuts);
        Assert.Equal(frames, result.Scenes.Count);
        Assert.Equal(frames, result.FrameCount);
    }

    [Fact]
    public void Detect_LengthNotAMultipleOfDimension_ThrowsDimensionMismatch()
    {
        var error = Assert.Throws<SceneDetectionException>(() => Detect(new float[7], dimension: 2, tau: 5));

        Assert.Equal(SceneDetectionError.DimensionMismatch, error.Reason);
        Assert.Contains("[frames, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_NaNInEmbedding_ThrowsNonFinite()
    {
        var error = Assert.Throws<SceneDetectionException>(() => Detect([0, 1, float.NaN, 1], dimension: 2, tau: 5));

        Assert.Equal(SceneDetectionError.NonFiniteEmbedding, error.Reason);
        Assert.Contains("frame 1", error.Message, StringComparison.Ordinal);
    }
}
