using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Tests.Protocol;

public sealed class GrpcStatusMessageTests
{
    [Fact]
    public void Encode_NonAsciiAndPercent_PercentEncodesThem()
    {
        Assert.Equal("h%C3%A9llo 100%25%0A", GrpcStatusMessage.Encode("héllo 100%\n"));
        Assert.Equal("plain ascii stays", GrpcStatusMessage.Encode("plain ascii stays"));
    }

    [Theory]
    [InlineData("héllo ✓ 100% done")]
    [InlineData("line one\nline two\ttab")]
    [InlineData("emoji 🎬 and 中文")]
    [InlineData("")]
    public void Decode_Encoded_ReturnsOriginal(string message)
    {
        var encoded = GrpcStatusMessage.Encode(message);
        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(message, GrpcStatusMessage.Decode(encoded));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("abc%", "abc%")]
    [InlineData("%G1x", "%G1x")]
    [InlineData("100%2", "100%2")]
    [InlineData("bad %E2%82 utf8", "bad \uFFFD utf8")]
    [InlineData("raw é kept", "raw é kept")]
    public void Decode_Malformed_NeverThrows(string encoded, string expected)
    {
        Assert.Equal(expected, GrpcStatusMessage.Decode(encoded));
    }
}
