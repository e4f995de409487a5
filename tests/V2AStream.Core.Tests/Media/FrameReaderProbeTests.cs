using V2AStream.Core.Media;
using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>
/// How much of a pipe or URL ffmpeg reads before the first frame: a small probe (none when the container is named), so
/// a 1x live feed is not held up for seconds, grown to the file probe only when the streams could not be identified.
/// </summary>
public sealed class FrameReaderProbeTests(MediaClips clips) : IClassFixture<MediaClips>
{
    private static readonly FrameGeometry Small = FrameGeometry.Plain(32, 24);

    [Fact]
    public void BuildArguments_PipeOrLiveUrl_ProbesAQuarterSecondAndHalfAMebibyte()
    {
        var reader = new FrameReader(new FrameReaderOptions());

        foreach (var source in new[] { MediaSource.FromStream(Stream.Null), MediaSource.FromUrl("srt://127.0.0.1:9000?mode=listener"), MediaSource.FromUrl("rtmp://127.0.0.1/live/key") })
        {
            var args = reader.BuildArguments(source);
            Assert.Equal("524288", ValueOf(args, "-probesize"));
            Assert.Equal("250000", ValueOf(args, "-analyzeduration"));
        }
    }

    [Fact]
    public void BuildArguments_PipeWithNamedContainer_ProbesNothing()
    {
        var args = new FrameReader(new FrameReaderOptions()).BuildArguments(MediaSource.FromStream(Stream.Null).WithFormat("mpegts"));

        Assert.Equal("32", ValueOf(args, "-probesize"));
        Assert.Equal("1", ValueOf(args, "-analyzeduration"));
        Assert.True(args.ToList().IndexOf("-probesize") < args.ToList().IndexOf("-i"), "input options go before -i");
    }

    [Fact]
    public void BuildArguments_File_KeepsTheLargeProbe()
    {
        var args = new FrameReader(new FrameReaderOptions()).BuildArguments(MediaSource.FromFile(clips.Mp4));

        Assert.Equal("5000000", ValueOf(args, "-probesize"));
        Assert.DoesNotContain("-analyzeduration", args);
    }

    [Theory]
    [InlineData("mpegts", null)]
    [InlineData("matroska", null)]
    [InlineData("flv", null)]
    [InlineData("fmp4", null)]
    [InlineData("mpegts", "mpegts")]
    [InlineData("matroska", "matroska")]
    [InlineData("flv", "flv")]
    [InlineData("fmp4", "mp4")]
    public async Task ReadFramesAsync_PipedContainerWithTheSmallProbe_GivesTheFramesOfTheFile(string container, string? namedFormat)
    {
        var path = Path.Combine(clips.Directory, $"probe-{container}.{container}");
        if (!File.Exists(path))
        {
            string[] muxer = container switch
            {
                "fmp4" => ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"],
                var name => ["-f", name],
            };
            HostileMedia.Ffmpeg(["-i", clips.Mp4, "-c", "copy", .. muxer, path]);
        }

        var reader = new FrameReader(new FrameReaderOptions { Geometry = Small });
        var report = new FrameReadReport();
        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(path), new FrameReadReport());
        var fromPipe = await ReadAllAsync(reader, MediaSource.FromStream(File.OpenRead(path)).WithFormat(namedFormat), report);

        // 3 s at 4 frames per second, every one the picture the file gives, and no second attempt was needed.
        Assert.Equal(12, fromFile.Count);
        Assert.Equal(fromFile.Count, fromPipe.Count);
        Assert.All(fromFile.Zip(fromPipe), pair => Assert.True(pair.First.SequenceEqual(pair.Second), "a frame differs from the file's"));
        Assert.Equal(0, report.ProbeRetries);
    }

    [Fact]
    public async Task ReadFramesAsync_VideoStreamBeyondTheSmallProbe_GrowsTheProbeAndGivesTheFramesOfTheFile()
    {
        // MPEG-PS declares no streams up front: 3 s of audio alone (576 KB) come before the first video packet, so the
        // small probe ends with an audio stream only; the grown one, given the same bytes again, finds the video.
        var path = Path.Combine(clips.Directory, "audio-then-video.mpg");
        var audio = Path.Combine(clips.Directory, "audio-only.mpg");
        var both = Path.Combine(clips.Directory, "audio-video.mpg");
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3", "-ac", "2", "-c:a", "pcm_s16be", "-f", "mpeg", audio);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-ac", "2", "-c:a", "pcm_s16be", "-c:v", "mpeg2video", "-f", "mpeg", both);
        File.WriteAllBytes(path, [.. File.ReadAllBytes(audio), .. File.ReadAllBytes(both)]);
        var reader = new FrameReader(new FrameReaderOptions { Geometry = Small });

        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(path), new FrameReadReport());
        var report = new FrameReadReport();
        var fromPipe = await ReadAllAsync(reader, MediaSource.FromStream(File.OpenRead(path)), report);

        Assert.Equal(1, report.ProbeRetries);
        Assert.Equal(8, fromFile.Count);
        Assert.Equal(fromFile.Count, fromPipe.Count);
        Assert.All(fromFile.Zip(fromPipe), pair => Assert.True(pair.First.SequenceEqual(pair.Second), "a frame differs from the file's"));
    }

    [Fact]
    public async Task ReadFramesAsync_AudioOnlyPipe_StillSaysItHasNoVideoAfterGrowingTheProbe()
    {
        var report = new FrameReadReport();
        var reader = new FrameReader(new FrameReaderOptions { Geometry = Small });

        var failure = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(reader, MediaSource.FromStream(File.OpenRead(clips.AudioOnly)), report));

        Assert.Equal(MediaErrorReason.NoVideoStream, failure.Reason);
        Assert.Equal(1, report.ProbeRetries);
    }

    [Fact]
    public void Constructor_LiveProbeLargerThanTheFileProbe_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameReader(new FrameReaderOptions { ProbeSizeBytes = 1000, LiveProbeSizeBytes = 2000 }));
    }

    private static string ValueOf(IReadOnlyList<string> args, string option)
    {
        var at = args.ToList().IndexOf(option);
        Assert.True(at >= 0 && at + 1 < args.Count, $"{option} is missing from: {string.Join(' ', args)}");
        return args[at + 1];
    }

    private static async Task<List<byte[]>> ReadAllAsync(FrameReader reader, MediaSource source, FrameReadReport report)
    {
        var frames = new List<byte[]>();
        await foreach (var frame in reader.ReadFramesAsync(source, report))
        {
            frames.Add(frame.Pixels.ToArray());
            frame.Dispose();
        }

        return frames;
    }
}
