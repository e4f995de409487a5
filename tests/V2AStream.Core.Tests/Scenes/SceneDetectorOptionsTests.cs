using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class SceneDetectorOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new SceneDetectorOptions();

        options.Validate();
        Assert.Equal(SceneDetectorKind.Robust, options.Detector);
        Assert.Equal(32, options.WindowFrames);
        Assert.Equal(4, options.MinSceneFrames);
        Assert.Equal(2, options.LookaheadFrames);
        Assert.Equal(5.0, options.Tau);
        Assert.Equal(0.1, options.MinRelativeChange);
    }

    [Theory]
    [InlineData(0.0, 8.0, 2, 5.0, "frames per second")]
    [InlineData(double.NaN, 8.0, 2, 5.0, "frames per second")]
    [InlineData(4.0, 1.0, 2, 5.0, "window must hold 6")]
    [InlineData(4.0, 8.0, -1, 5.0, "lookahead")]
    [InlineData(4.0, 8.0, 2, -1.0, "tau")]
    [InlineData(4.0, 10000.0, 2, 5.0, "window must hold")]
    public void Validate_OutOfRange_ThrowsInvalidOptionsNamingIt(double fps, double windowSeconds, int lookahead, double tau, string expected)
    {
        var options = new SceneDetectorOptions { FramesPerSecond = fps, WindowSeconds = windowSeconds, LookaheadFrames = lookahead, Tau = tau };

        var error = Assert.Throws<SceneDetectionException>(options.Validate);

        Assert.Equal(SceneDetectionError.InvalidOptions, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_MinRelativeChangeOutOfRange_ThrowsInvalidOptionsNamingIt(double minRelativeChange)
    {
        var options = new SceneDetectorOptions { MinRelativeChange = minRelativeChange };

        var error = Assert.Throws<SceneDetectionException>(options.Validate);

        Assert.Equal(SceneDetectionError.InvalidOptions, error.Reason);
        Assert.Contains("minimum relative change", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("robust", SceneDetectorKind.Robust)]
    [InlineData("PAPER", SceneDetectorKind.Paper)]
    public void ParseKind_KnownName_ReturnsKind(string name, SceneDetectorKind expected) =>
        Assert.Equal(expected, SceneDetectors.ParseKind(name));

    [Fact]
    public void ParseKind_UnknownName_ThrowsListingTheNames()
    {
        var error = Assert.Throws<SceneDetectionException>(() => SceneDetectors.ParseKind("adaptive"));

        Assert.Equal(SceneDetectionError.UnknownDetector, error.Reason);
        Assert.Contains("robust, paper", error.Message, StringComparison.Ordinal);
    }
}
