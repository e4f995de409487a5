using V2AStream.Core.Media;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Media;

public sealed class MediaProberTests(MediaClips clips) : IClassFixture<MediaClips>
{
    private readonly MediaProber _prober = new(new FrameReaderOptions());

    [Fact]
    public async Task ProbeAsync_Mp4WithAudio_ReportsDurationRateSizeAndStreams()
    {
        var probe = await _prober.ProbeAsync(MediaSource.FromFile(clips.Mp4));

        Assert.NotNull(probe);
        Assert.Equal(3.0, probe.DurationSeconds!.Value, 1);
        Assert.Equal(25.0, probe.FrameRate!.Value, 3);
        Assert.Equal((160, 120), (probe.Width, probe.Height));
        Assert.True(probe.HasVideo);
        Assert.True(probe.HasAudio);
        Assert.Equal("h264", probe.VideoCodec);
        Assert.Equal(0, probe.Rotation);
    }

    [Fact]
    public async Task ProbeAsync_AudioOnly_ReportsNoVideo()
    {
        var probe = await _prober.ProbeAsync(MediaSource.FromFile(clips.AudioOnly));

        Assert.False(probe!.HasVideo);
        Assert.True(probe.HasAudio);
    }

    [Fact]
    public async Task ProbeAsync_Stream_ReturnsNullWithoutReadingIt()
    {
        using var stream = File.OpenRead(clips.Ts);

        Assert.Null(await _prober.ProbeAsync(MediaSource.FromStream(stream)));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task ProbeAsync_Junk_ThrowsNotVideo()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => _prober.ProbeAsync(MediaSource.FromFile(clips.Junk)));

        Assert.Equal(MediaErrorReason.NotVideo, error.Reason);
    }

    [SharedDataFact("cuts/issue-134-rotate.mp4")]
    public async Task ProbeAsync_SharedRotatedClip_ReportsRotationAndPortraitDisplaySize()
    {
        var probe = await _prober.ProbeAsync(MediaSource.FromFile(RepositoryPaths.SharedData("cuts/issue-134-rotate.mp4")!));

        Assert.Equal(-90, probe!.Rotation);
        Assert.Equal((544, 1280), (probe.DisplayWidth, probe.DisplayHeight));
    }
}
