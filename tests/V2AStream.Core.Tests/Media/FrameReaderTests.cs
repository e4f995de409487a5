using V2AStream.Core.Media;
using V2AStream.Testing.Media;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Media;

public sealed class FrameReaderTests(MediaClips clips) : IClassFixture<MediaClips>
{
    private static readonly FrameGeometry Small = FrameGeometry.Plain(32, 24);

    [Fact]
    public async Task ReadFramesAsync_File_GivesFloorOfDurationTimesFpsFramesAtKOverFps()
    {
        var frames = await ReadAllAsync(NewReader(), MediaSource.FromFile(clips.Mp4));

        Assert.InRange(frames.Count, (int)(MediaClips.DurationSeconds * 4) - 1, (int)(MediaClips.DurationSeconds * 4) + 1);
        for (var k = 0; k < frames.Count; k++)
        {
            Assert.Equal(k, frames[k].Index);
            Assert.Equal(k / 4.0, frames[k].TimeSeconds, 9);
            Assert.Equal(32 * 24 * 3, frames[k].Pixels.Length);
        }
    }

    [Fact]
    public async Task ReadFramesAsync_SampleTimeBetweenTwoPictures_GivesThePictureOnScreenAtThatTime()
    {
        var frames = await ReadAllAsync(NewReader(), MediaSource.FromFile(clips.RedToBlueAtHalfASecond));

        // 0.5 s falls between the last red picture (0.48 s) and the first blue one (0.52 s): red is still on screen.
        Assert.Equal(4, frames.Count);
        Assert.Equal(["red", "red", "red", "blue"], frames.Select(f => f.Pixels.Span[0] > f.Pixels.Span[2] ? "red" : "blue"));
    }

    [Fact]
    public async Task ReadFramesAsync_LowDelay_GivesTheSameFrames()
    {
        var normal = await ReadAllAsync(NewReader(), MediaSource.FromFile(clips.Mp4));
        var lowDelay = await ReadAllAsync(new FrameReader(new FrameReaderOptions { Geometry = Small, LowDelay = true }), MediaSource.FromFile(clips.Mp4));

        Assert.Equal(normal.Count, lowDelay.Count);
        Assert.All(normal.Zip(lowDelay), pair => Assert.True(pair.First.Pixels.Span.SequenceEqual(pair.Second.Pixels.Span), $"frame {pair.First.Index} differs"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task ReadFramesAsync_SampleFps_ScalesFrameCount(double fps)
    {
        var frames = await ReadAllAsync(NewReader(fps: fps), MediaSource.FromFile(clips.Ts));

        var expected = (int)Math.Floor(MediaClips.DurationSeconds * fps);
        Assert.InRange(frames.Count, expected - 1, expected + 1);
    }

    [Fact]
    public async Task ReadFramesAsync_FileStreamAndPipe_GiveTheSameFrames()
    {
        var reader = NewReader();
        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(clips.Ts));
        var fromStream = await ReadAllAsync(reader, MediaSource.FromStream(File.OpenRead(clips.Ts)));

        var source = MediaSource.CreatePipe(out var writer, bufferBytes: 16 * 1024);
        var producer = Task.Run(async () =>
        {
            // Small writes into a small pipe: FlushAsync waits for ffmpeg, which is the backpressure the gRPC call relies on.
            var bytes = await File.ReadAllBytesAsync(clips.Ts);
            for (var offset = 0; offset < bytes.Length; offset += 3000)
            {
                var result = await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(3000, bytes.Length - offset)));
                Assert.False(result.IsCompleted);
            }

            await writer.CompleteAsync();
        });
        var fromPipe = await ReadAllAsync(reader, source);
        await producer;

        Assert.Equal(fromFile.Count, fromStream.Count);
        Assert.Equal(fromFile.Count, fromPipe.Count);
        for (var k = 0; k < fromFile.Count; k++)
        {
            Assert.True(fromFile[k].Pixels.Span.SequenceEqual(fromStream[k].Pixels.Span), $"frame {k} differs (stream)");
            Assert.True(fromFile[k].Pixels.Span.SequenceEqual(fromPipe[k].Pixels.Span), $"frame {k} differs (pipe)");
        }
    }

    [Fact]
    public async Task ReadFramesAsync_FaststartMp4FromStream_GivesTheFileFrameCount()
    {
        var reader = NewReader();
        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(clips.Mp4));
        var fromStream = await ReadAllAsync(reader, MediaSource.FromStream(File.OpenRead(clips.Mp4)));

        Assert.Equal(fromFile.Count, fromStream.Count);
    }

    [Fact]
    public async Task ReadFramesAsync_LocalHttpUrl_GivesTheFileFrames()
    {
        await using var server = new LocalHttpServer(await File.ReadAllBytesAsync(clips.Ts));
        var reader = NewReader();

        var fromUrl = await ReadAllAsync(reader, MediaSource.FromUrl(server.ClipUrl));
        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(clips.Ts));

        Assert.Equal(fromFile.Count, fromUrl.Count);
        Assert.True(fromFile[^1].Pixels.Span.SequenceEqual(fromUrl[^1].Pixels.Span));
    }

    [Fact]
    public async Task ReadFramesAsync_HlsPlaylistOverHttp_GivesTheFileFrameCount()
    {
        var files = Directory.EnumerateFiles(clips.HlsDirectory).ToDictionary(f => "/hls/" + Path.GetFileName(f), File.ReadAllBytes);
        await using var server = new LocalHttpServer(files);
        var reader = NewReader();

        var fromHls = await ReadAllAsync(reader, MediaSource.FromUrl(server.UrlOf("/hls/index.m3u8")));
        var fromFile = await ReadAllAsync(reader, MediaSource.FromFile(clips.Ts));

        Assert.InRange(fromHls.Count, fromFile.Count - 1, fromFile.Count + 1);
    }

    [Fact]
    public async Task ReadFramesAsync_HttpNotFound_ThrowsUnreachableWithTheServerAnswer()
    {
        await using var server = new LocalHttpServer([]);

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromUrl(server.MissingUrl)));

        Assert.Equal(MediaErrorReason.Unreachable, error.Reason);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_ClosedPort_ThrowsUnreachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromUrl($"http://127.0.0.1:{port}/clip.ts")));

        Assert.Equal(MediaErrorReason.Unreachable, error.Reason);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FromUrl_FileScheme_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => MediaSource.FromUrl("file:///etc/passwd"));
    }

    [Fact]
    public async Task ReadFramesAsync_RotatedClip_AppliesTheDisplayRotation()
    {
        // Stored: red left half, blue right half. Shown rotated by 90 degrees, the split becomes top/bottom.
        var frames = await ReadAllAsync(NewReader(geometry: FrameGeometry.Plain(16, 16)), MediaSource.FromFile(clips.Rotated));

        var pixels = frames[0].Pixels.Span;
        var top = Pixel(pixels, 16, 8, 2);
        var bottom = Pixel(pixels, 16, 8, 13);
        var left = Pixel(pixels, 16, 2, 8);
        var right = Pixel(pixels, 16, 13, 8);
        Assert.True(Distance(top, bottom) > 300, $"top {top} and bottom {bottom} should differ");
        Assert.True(Distance(left, right) < 30, $"left {left} and right {right} should match");
    }

    [Fact]
    public async Task ReadFramesAsync_ClipGeometry_KeepsTheCentreOfAWidePicture()
    {
        var clip = await ReadAllAsync(NewReader(geometry: FrameGeometry.Clip(24)), MediaSource.FromFile(clips.Wide));
        var plain = await ReadAllAsync(NewReader(geometry: FrameGeometry.Plain(24, 24)), MediaSource.FromFile(clips.Wide));

        // Red 100 | green 120 | blue 100: the centre crop of the 120-high picture is nearly all green.
        var (r, g, b) = Mean(clip[0].Pixels.Span);
        Assert.True(g > 200 && r < 40 && b < 40, $"clip crop mean ({r:0}, {g:0}, {b:0}) should be green");
        var (pr, pg, pb) = Mean(plain[0].Pixels.Span);
        Assert.True(pr > 60 && pb > 60, $"plain resize mean ({pr:0}, {pg:0}, {pb:0}) should keep red and blue");
    }

    [Fact]
    public async Task ReadFramesAsync_ClipGeometryOnNonSquarePixels_CropsThePictureAsDisplayed()
    {
        var frames = await ReadAllAsync(NewReader(geometry: FrameGeometry.Clip(24)), MediaSource.FromFile(clips.WideByPixelAspect));

        // Stored 50 | 60 | 50 px with 2:1 pixels: displayed 100 | 120 | 100, so the centre crop is green only.
        var (r, g, b) = Mean(frames[0].Pixels.Span);
        Assert.True(g > 200 && r < 40 && b < 40, $"clip crop mean ({r:0}, {g:0}, {b:0}) should be green");
    }

    [SharedDataFact("cuts/issue-134-rotate.mp4")]
    public async Task ReadFramesAsync_SharedRotatedClip_GivesFloorOfDurationTimesFpsFrames()
    {
        var path = RepositoryPaths.SharedData("cuts/issue-134-rotate.mp4")!;

        var frames = await ReadAllAsync(NewReader(geometry: FrameGeometry.Clip(32)), MediaSource.FromFile(path));

        Assert.InRange(frames.Count, 39, 41);
    }

    [SharedDataFact("cuts/goldeneye-vfr-drop3.mp4")]
    public async Task ReadFramesAsync_VariableFrameRateClip_GivesConstantRateFrames()
    {
        var path = RepositoryPaths.SharedData("cuts/goldeneye-vfr-drop3.mp4")!;

        var frames = await ReadAllAsync(NewReader(geometry: FrameGeometry.Clip(32)), MediaSource.FromFile(path));

        // 9.97 s at 4 fps; the input drops every 3rd frame, the output still has one frame per 0.25 s.
        Assert.InRange(frames.Count, 38, 40);
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(k => k * 0.25), frames.Select(f => f.TimeSeconds));
    }

    [Theory]
    [InlineData("junk", MediaErrorReason.NotVideo)]
    [InlineData("text", MediaErrorReason.NotVideo)]
    [InlineData("empty", MediaErrorReason.Empty)]
    [InlineData("audio", MediaErrorReason.NoVideoStream)]
    [InlineData("index-missing", MediaErrorReason.Truncated)]
    [InlineData("absent", MediaErrorReason.NotFound)]
    public async Task ReadFramesAsync_BadFile_ThrowsWithTheReason(string which, MediaErrorReason reason)
    {
        var path = which switch
        {
            "junk" => clips.Junk,
            "text" => clips.Text,
            "empty" => clips.Empty,
            "audio" => clips.AudioOnly,
            "index-missing" => clips.IndexMissing,
            _ => Path.Combine(clips.Directory, "absent.mp4"),
        };

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromFile(path)));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(0, error.FramesRead);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("0x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_EmptyStream_ThrowsEmpty()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromStream(new MemoryStream())));

        Assert.Equal(MediaErrorReason.Empty, error.Reason);
    }

    [Fact]
    public async Task ReadFramesAsync_JunkStream_ThrowsNotVideo()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromStream(File.OpenRead(clips.Junk))));

        Assert.Equal(MediaErrorReason.NotVideo, error.Reason);
    }

    [Fact]
    public async Task ReadFramesAsync_Mp4WithIndexAtEndFromStream_ThrowsNotStreamableSayingHowToFixIt()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(NewReader(), MediaSource.FromStream(File.OpenRead(clips.IndexAtEnd))));

        Assert.Equal(MediaErrorReason.NotStreamable, error.Reason);
        Assert.Contains("faststart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_Mp4WithIndexAtEndFromALiveSender_ThrowsNotStreamableFromTheFirstBytesNotStalled()
    {
        // A sender that gives the first 64 KiB and then nothing more (a live, real-time client): ffmpeg alone would wait
        // for the index at the end until the stall timeout; the first bytes already tell.
        var head = File.ReadAllBytes(clips.IndexAtEnd)[..(64 * 1024)];
        var reader = new FrameReader(new FrameReaderOptions { Geometry = Small, StallTimeout = TimeSpan.FromSeconds(20) });

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(reader, MediaSource.FromStream(new StuckAfterStream(head))));

        Assert.Equal(MediaErrorReason.NotStreamable, error.Reason);
        Assert.Contains("-movflags +faststart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_TruncatedFile_DeliversTheFramesBeforeTheCutThenThrowsTruncated()
    {
        var delivered = 0;
        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var frame in NewReader().ReadFramesAsync(MediaSource.FromFile(clips.TruncatedFaststart)))
            {
                frame.Dispose();
                delivered++;
            }
        });

        Assert.Equal(MediaErrorReason.Truncated, error.Reason);
        Assert.True(delivered > 0, "frames before the cut should be delivered");
        Assert.Equal(delivered, error.FramesRead);
    }

    [Fact]
    public async Task ReadFramesAsync_DamagedStream_DeliversFramesAroundTheDamage()
    {
        var delivered = 0;
        try
        {
            await foreach (var frame in NewReader().ReadFramesAsync(MediaSource.FromFile(clips.CorruptTs)))
            {
                frame.Dispose();
                delivered++;
            }
        }
        catch (MediaException ex)
        {
            Assert.Contains(ex.Reason, new[] { MediaErrorReason.Corrupt, MediaErrorReason.Truncated });
            Assert.Equal(delivered, ex.FramesRead);
        }

        // 4 KiB of noise in the middle of 3 s: ffmpeg conceals it; nearly all frames still come out.
        Assert.InRange(delivered, 8, 13);
    }

    [Fact]
    public async Task ReadFramesAsync_CancelledMidStream_LeavesNoFfmpegChild()
    {
        var log = new StartedProcessLog<FrameReader>();
        var reader = new FrameReader(new FrameReaderOptions { Geometry = FrameGeometry.Clip(224) }, log);
        using var cancellation = new CancellationTokenSource();

        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(clips.Mp4), cancellation.Token))
            {
                frame.Dispose();
                Assert.True(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg should be running mid-stream");
                if (++read == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the cancelled read");
    }

    [Fact]
    public async Task ReadFramesAsync_AbandonedEnumeration_LeavesNoFfmpegChild()
    {
        var log = new StartedProcessLog<FrameReader>();
        var reader = new FrameReader(new FrameReaderOptions(), log);

        await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromStream(File.OpenRead(clips.Ts))))
        {
            frame.Dispose();
            break;
        }

        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the abandoned read");
    }

    [Fact]
    public async Task ReadFramesAsync_SourceGoesQuiet_ThrowsStalledAndLeavesNoChild()
    {
        var log = new StartedProcessLog<FrameReader>();
        var reader = new FrameReader(new FrameReaderOptions { Geometry = Small, StallTimeout = TimeSpan.FromSeconds(1) }, log);
        var bytes = await File.ReadAllBytesAsync(clips.Ts);
        var source = MediaSource.CreatePipe(out var writer);
        await writer.WriteAsync(bytes.AsMemory(0, bytes.Length / 3));

        // The producer never writes again and never completes: a live source that went quiet.
        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(reader, source));

        Assert.Equal(MediaErrorReason.Stalled, error.Reason);
        Assert.Contains("stall", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the stall");
        var next = await writer.WriteAsync(bytes.AsMemory(0, 10));
        Assert.True(next.IsCompleted, "the producer should learn that the read has ended");
    }

    [Fact]
    public async Task ReadFramesAsync_QuietSourceThatIgnoresCancellation_StillEndsWithStalled()
    {
        // Like a terminal's stdin: a read that blocks and does not honour its token must not hang the reader.
        var options = new FrameReaderOptions { Geometry = Small, StallTimeout = TimeSpan.FromSeconds(1), StopGracePeriod = TimeSpan.FromMilliseconds(200) };
        var bytes = await File.ReadAllBytesAsync(clips.Ts);
        await using var stuck = new StuckAfterStream(bytes[..(bytes.Length / 3)]);

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(new FrameReader(options), MediaSource.FromStream(stuck)))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(MediaErrorReason.Stalled, error.Reason);
    }

    [Fact]
    public async Task ReadFramesAsync_FfmpegMissing_ThrowsFfmpegMissingSayingHowToInstall()
    {
        var reader = new FrameReader(new FrameReaderOptions { FfmpegPath = Path.Combine(clips.Directory, "no-ffmpeg-here") });

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(reader, MediaSource.FromFile(clips.Mp4)));

        Assert.Equal(MediaErrorReason.FfmpegMissing, error.Reason);
        Assert.Contains("install ffmpeg", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(31)]
    public void Constructor_SampleFpsOutOfRange_Throws(double fps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameReader(new FrameReaderOptions { SampleFps = fps }));
    }

    private static FrameReader NewReader(double fps = 4, FrameGeometry? geometry = null) =>
        new(new FrameReaderOptions { SampleFps = fps, Geometry = geometry ?? Small });

    private static async Task<List<VideoFrame>> ReadAllAsync(FrameReader reader, MediaSource source)
    {
        var frames = new List<VideoFrame>();
        await foreach (var frame in reader.ReadFramesAsync(source))
        {
            // Copied out so the test can compare after the read; the pooled buffer goes back at once.
            frames.Add(new VideoFrame(frame.Index, frame.TimeSeconds, frame.Width, frame.Height, frame.Pixels.ToArray()));
            frame.Dispose();
        }

        return frames;
    }

    private static (int R, int G, int B) Pixel(ReadOnlySpan<byte> pixels, int width, int x, int y)
    {
        var i = ((y * width) + x) * 3;
        return (pixels[i], pixels[i + 1], pixels[i + 2]);
    }

    private static int Distance((int R, int G, int B) a, (int R, int G, int B) b) =>
        Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B);

    private static (double R, double G, double B) Mean(ReadOnlySpan<byte> pixels)
    {
        double r = 0, g = 0, b = 0;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            r += pixels[i];
            g += pixels[i + 1];
            b += pixels[i + 2];
        }

        var n = pixels.Length / 3;
        return (r / n, g / n, b / n);
    }

    /// <summary>Gives its bytes, then blocks every read until disposed, ignoring the token.</summary>
    private sealed class StuckAfterStream(byte[] head) : Stream
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < head.Length)
            {
                var count = Math.Min(buffer.Length, head.Length - _position);
                head.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            await _released.Task;
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _released.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
