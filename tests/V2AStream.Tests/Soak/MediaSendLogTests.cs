using V2AStream.Soak;

using V2AStream.Client;

namespace V2AStream.Tests.Soak;

public sealed class MediaSendLogTests
{
    [Fact]
    public void SendTimeOf_OnSchedule_PacingStartPlusMediaTime()
    {
        var log = new MediaSendLog(totalBytes: 1000, durationSeconds: 10);
        for (var i = 0; i < 10; i++)
        {
            log.OnSent((i + 1) * 100, 5.0 + i);
        }

        Assert.Equal(5.0 + 2.5, log.SendTimeOf(2.5), 9);
        Assert.Equal(5.0 + 9.99, log.SendTimeOf(10), 9);
    }

    [Fact]
    public void SendTimeOf_ServerHeldTheClientBack_TheLaterActualSend()
    {
        var log = new MediaSendLog(totalBytes: 1000, durationSeconds: 10);
        log.OnSent(500, 0);
        log.OnSent(1000, 8);

        Assert.Equal(4.0, log.SendTimeOf(4), 9);
        Assert.Equal(8.0, log.SendTimeOf(6), 9);
    }

    [Fact]
    public void SendTimeOf_ByteIndex_PacedByMediaTimeNotByBytes()
    {
        // The first 5 s take 90% of the bytes: paced by media time, the frame at 5 s goes out at 5 s, not at 9 s.
        var index = new MediaByteIndex([(0.0, 100L), (5.0, 900L), (10.0, 1000L)]);
        var log = new MediaSendLog(totalBytes: 1000, durationSeconds: 10, index);
        log.OnSent(100, 0);
        log.OnSent(900, 5);
        log.OnSent(1000, 12);

        Assert.Equal(5.0, log.SendTimeOf(5), 9);
        Assert.Equal(0.0, log.SendTimeOf(1), 9);
        Assert.Equal(12.0, log.SendTimeOf(10), 9);
    }

    [Fact]
    public void LastByteFor_BFramesOutOfOrder_FurthestPacketShownSoFar()
    {
        var index = new MediaByteIndex([(0.0, 100L), (0.08, 300L), (0.04, 400L), (0.12, 500L)]);

        Assert.Equal(399, index.LastByteFor(0.04));
        Assert.Equal(399, index.LastByteFor(0.1));
        Assert.Equal(499, index.LastByteFor(0.2));
    }

    [Fact]
    public void SendTimeOf_NothingSent_NaN()
    {
        Assert.True(double.IsNaN(new MediaSendLog(1000, 10).SendTimeOf(1)));
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("90s", 90)]
    [InlineData("1.5s", 1.5)]
    [InlineData("250ms", 0.25)]
    [InlineData("1h", 3600)]
    [InlineData("42", 42)]
    public void DurationText_CommonForms_Seconds(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("-5s")]
    public void DurationText_Nonsense_Refused(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }
}
