using V2AStream.Core.Relay;

namespace V2AStream.Core.Tests.Relay;

public sealed class AudioTimelineTests
{
    private static byte[] Pcm(int frames, byte value) => Enumerable.Repeat(value, frames * 4).ToArray();

    [Fact]
    public void Place_AfterAGap_SilenceFirstAndCounted()
    {
        var timeline = new AudioTimeline(48000, 2);

        var bytes = timeline.Place(100, Pcm(10, 7)).ToArray();

        Assert.Equal(110 * 4, bytes.Length);
        Assert.All(bytes[..400], b => Assert.Equal(0, b));
        Assert.All(bytes[400..], b => Assert.Equal(7, b));
        Assert.Equal((110, 100, 0), (timeline.FramesWritten, timeline.SilenceFrames, timeline.DroppedFrames));
    }

    [Fact]
    public void Place_PartlyPublishedAlready_TheLateFramesDroppedAndCounted()
    {
        var timeline = new AudioTimeline(48000, 2);
        timeline.SilenceTo(50);

        var bytes = timeline.Place(40, Pcm(30, 7)).ToArray();

        Assert.Equal(20 * 4, bytes.Length);
        Assert.Equal((70, 50, 10), (timeline.FramesWritten, timeline.SilenceFrames, timeline.DroppedFrames));
        Assert.True(timeline.Place(0, Pcm(30, 7)).IsEmpty);
        Assert.Equal(40, timeline.DroppedFrames);
    }

    [Fact]
    public void SilenceTo_BehindTheSound_Nothing()
    {
        var timeline = new AudioTimeline(48000, 1);
        timeline.Place(0, new byte[200]);

        Assert.True(timeline.SilenceTo(50).IsEmpty);
        Assert.Equal(0, timeline.SilenceFrames);
    }

    [Theory]
    [InlineData(48000, 90_000, 48_000)]
    [InlineData(48000, 3600, 1920)]
    [InlineData(44100, 3600, 1764)]
    [InlineData(44100, 1, 0)]
    public void FrameAt90kHz_ExactOnTheVideoClock(int sampleRate, long ticks, long frame) =>
        Assert.Equal(frame, new AudioTimeline(sampleRate, 2).FrameAt90kHz(ticks));

    [Fact]
    public void Place_NotWholeFrames_Refused() =>
        Assert.Throws<ArgumentException>(() => new AudioTimeline(48000, 2).Place(0, new byte[6]));
}
