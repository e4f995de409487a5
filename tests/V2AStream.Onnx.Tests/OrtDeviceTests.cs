namespace V2AStream.Onnx.Tests;

public sealed class OrtDeviceTests
{
    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("CPU", "cpu")]
    [InlineData("cuda", "cuda:0")]
    [InlineData("cuda:0", "cuda:0")]
    [InlineData(" cuda:3 ", "cuda:3")]
    public void Parse_ValidNames_RoundTrip(string text, string expected)
    {
        Assert.Equal(expected, OrtDevice.Parse(text).ToString());
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Invalid_ThrowsOneLineSayingWhatIsValid(string? text)
    {
        var error = Assert.Throws<FormatException>(() => OrtDevice.Parse(text));
        Assert.Contains("use cpu, cuda or cuda:N", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Cuda_KindAndId()
    {
        var device = OrtDevice.Parse("cuda:2");
        Assert.Equal(OrtDeviceKind.Cuda, device.Kind);
        Assert.Equal(2, device.Id);
        Assert.False(device.IsCpu);
        Assert.Equal(OrtDevice.Cuda(2), device);
        Assert.True(OrtDevice.Parse("cpu").IsCpu);
    }
}
