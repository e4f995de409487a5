using V2AStream.Core.Media;
using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>
/// The media clock across timestamp discontinuities (DESIGN.md section 3): a jump is a new segment, never a gap filled
/// with repeated frames. Every clip holds 10 s of pictures, so 40 frames at 4 fps whatever its timestamps do.
/// </summary>
public sealed class FrameReaderTimestampTests(TimestampClips clips) : IClassFixture<TimestampClips>
{
    private const int FramesOfTenSeconds = 40;

    [Theory]
    [InlineData("jump-23h.mkv", 1)]
    [InlineData("jump-5s.ts", 1)]
    [InlineData("corrupted-pts.ts", 2)]
    [InlineData("restarting.ts", 0)]
    [InlineData("wrapping.ts", 0)]
    public async Task ReadFramesAsync_TimestampsJumpOrRestart_TenSecondsOfFramesAtKOverFpsAndTheJumpsCounted(string clip, int discontinuities)
    {
        // restarting.ts and wrapping.ts: ffmpeg's own MPEG-TS handling already makes those continuous (a backward jump in
        // a TS, a 33-bit wrap), so no jump is left for the reader; the others reach it and are each counted once (the
        // corrupted PTS twice: there and back).
        var path = Path.Combine(clips.Directory, clip);
        var report = new FrameReadReport();
        var times = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var frame in Reader().ReadFramesAsync(MediaSource.FromFile(path), report, timeout.Token))
        {
            times.Add(frame.TimeSeconds);
            frame.Dispose();
        }

        Assert.Equal(FramesOfTenSeconds, times.Count);
        Assert.Equal(Enumerable.Range(0, FramesOfTenSeconds).Select(k => k / 4.0), times);
        Assert.Equal(discontinuities, report.TimestampDiscontinuities);
    }

    [Fact]
    public async Task ReadFramesAsync_CorruptedPtsThroughAPipe_TenSecondsOfFrames()
    {
        var report = new FrameReadReport();
        var count = 0;
        await foreach (var frame in Reader().ReadFramesAsync(MediaSource.FromStream(File.OpenRead(clips.CorruptedPtsTs)), report))
        {
            count++;
            frame.Dispose();
        }

        Assert.Equal(FramesOfTenSeconds, count);
        Assert.Equal(2, report.TimestampDiscontinuities);
    }

    [Fact]
    public async Task ReadFramesAsync_GapLargerThanTheJump_JumpIsKeptAsMediaTime()
    {
        // With a 10 s gap allowed, the 5 s jump is real media time: the fps filter repeats the last picture across it.
        var reader = new FrameReader(new FrameReaderOptions { Geometry = FrameGeometry.Plain(32, 32), MaxTimestampGap = TimeSpan.FromSeconds(10) });
        var report = new FrameReadReport();
        var count = 0;
        await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(clips.ShortJumpTs), report))
        {
            count++;
            frame.Dispose();
        }

        Assert.Equal(60, count);
        Assert.Equal(0, report.TimestampDiscontinuities);
    }

    [Fact]
    public async Task ReadFramesAsync_PictureOverMaxPixels_ThrowsResourceLimitNamingTheSize()
    {
        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var frame in Reader().ReadFramesAsync(MediaSource.FromFile(clips.HugePicture)))
            {
                frame.Dispose();
            }
        });

        Assert.Equal(MediaErrorReason.ResourceLimit, error.Reason);
        Assert.Contains("16000x16000", error.Message, StringComparison.Ordinal);
        Assert.Contains(FrameReaderOptions.DefaultMaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_PictureWithinPixelsButOverTheMemoryBound_ThrowsResourceLimit()
    {
        // 16000 x 16000 RGB is 768 MB decoded: allowed by a high pixel limit, refused by a 256 MiB memory bound.
        var reader = new FrameReader(new FrameReaderOptions { Geometry = FrameGeometry.Plain(32, 32), MaxPixels = 16000L * 16000, MemoryLimitBytes = 256L << 20 });
        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(clips.HugePicture)))
            {
                frame.Dispose();
            }
        });

        Assert.Equal(MediaErrorReason.ResourceLimit, error.Reason);
        Assert.Contains("memory bound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampJumpSeconds_PrintedLines_ParsedAndOthersIgnored()
    {
        Assert.Equal(82800.04, FrameReader.TimestampJumpSeconds("82800.040000"));
        Assert.Equal(-5.0, FrameReader.TimestampJumpSeconds("[Parsed_setpts_0 @ 0x55aa] -5.000000"));
        Assert.Null(FrameReader.TimestampJumpSeconds("[h264 @ 0x55aa] error while decoding MB 3 4"));
        Assert.Null(FrameReader.TimestampJumpSeconds("12"));
    }

    private static FrameReader Reader() => new(new FrameReaderOptions { Geometry = FrameGeometry.Plain(32, 32) });
}
