using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void TryParse_ValidValue_ReturnsDuration(string value, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout, out _));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    public void TryParse_Malformed_ReturnsFalseWithReason(string value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _, out var error));
        Assert.Contains("grpc-timeout", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2_500_000L)]
    [InlineData(36_000_000_000L)]
    [InlineData(864_000_000_000_000L)]
    public void Format_Duration_ParsesBackToAtLeastIt(long ticks)
    {
        var text = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
        Assert.True(GrpcTimeout.TryParse(text, out var parsed, out _), text);
        Assert.True(parsed.Ticks >= ticks, $"{text} is shorter than {ticks} ticks");
        Assert.True(text.Length <= 9, text);
    }
}
