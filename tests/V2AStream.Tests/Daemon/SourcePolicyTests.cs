using System.Diagnostics;
using V2AStream.Core.Media;
using V2AStream.Daemon;
using V2AStream.Testing.Media;

namespace V2AStream.Tests.Daemon;

/// <summary>What GenerateFromSource may open: files by their whole resolved path, opened as checked; URLs by scheme and host.</summary>
public sealed class SourcePolicyTests : IDisposable
{
    private readonly string _top = Directory.CreateTempSubdirectory("v2a-policy-").FullName;

    public SourcePolicyTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", Path.Combine(Root, "clip.ts"));
        File.Copy(Path.Combine(Root, "clip.ts"), Path.Combine(Outside, "secret.ts"));
    }

    private string Root => Path.Combine(_top, "root");

    private string Outside => Path.Combine(_top, "outside");

    [Fact]
    public async Task CheckAsync_ChainOfLinksLeavingTheRoot_Denied()
    {
        // root/rel -> link/secret.ts, root/link -> /outside: each link alone looks harmless.
        File.CreateSymbolicLink(Path.Combine(Root, "link"), Outside);
        File.CreateSymbolicLink(Path.Combine(Root, "rel"), "link/secret.ts");

        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Root, "rel"), CancellationToken.None));

        Assert.Equal(SourceRefusal.Denied, refused.Reason);
        Assert.Equal("the path is outside the allowed roots.", refused.Message);
    }

    [Fact]
    public async Task CheckAsync_LinkInsideTheRoot_OpensTheFileItNamesAndFfmpegReadsIt()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "alias.ts"), "clip.ts");

        var allowed = await Policy().CheckAsync(Path.Combine(Root, "alias.ts"), CancellationToken.None);

        var frames = 0;
        string? location = null;
        await allowed.ReadAsync(
            async source =>
            {
                location = source.Location;
                await foreach (var frame in new FrameReader(new FrameReaderOptions { Geometry = FrameGeometry.Plain(32, 32) }).ReadFramesAsync(source))
                {
                    frame.Dispose();
                    frames++;
                }
            },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(Path.Combine(Root, "clip.ts"), location);
        Assert.Equal(4, frames);
    }

    [Fact]
    public async Task ReadAsync_FolderSwappedForALinkAfterTheCheck_DeniedNotTheOtherFile()
    {
        Directory.CreateDirectory(Path.Combine(Root, "dir"));
        File.Copy(Path.Combine(Root, "clip.ts"), Path.Combine(Root, "dir", "secret.ts"));
        var allowed = await Policy().CheckAsync(Path.Combine(Root, "dir", "secret.ts"), CancellationToken.None);

        Directory.Move(Path.Combine(Root, "dir"), Path.Combine(Root, "dir-before"));
        File.CreateSymbolicLink(Path.Combine(Root, "dir"), Outside);

        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => allowed.ReadAsync(_ => Task.CompletedTask, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Equal(SourceRefusal.Denied, refused.Reason);
        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_LoopOfLinksInsideTheRoot_InvalidSayingLoop()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(Root, "b"), "a");

        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Root, "a"), CancellationToken.None));

        Assert.Equal(SourceRefusal.Invalid, refused.Reason);
        Assert.Contains("loop", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clip.ts\0.txt")]
    [InlineData("clip\r\n.ts")]
    [InlineData("clip\u001b[2J.ts")]
    public async Task CheckAsync_ControlCharacters_Invalid(string name)
    {
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Root, name), CancellationToken.None));
        Assert.Equal(SourceRefusal.Invalid, refused.Reason);
    }

    [Fact]
    public async Task CheckAsync_OutsideTheRoot_TheSameAnswerWhetherOrNotItExists()
    {
        var existing = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Outside, "secret.ts"), CancellationToken.None));
        var absent = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Outside, "absent.ts"), CancellationToken.None));
        File.CreateSymbolicLink(Path.Combine(Outside, "loop"), "loop");
        var loop = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Outside, "loop"), CancellationToken.None));

        Assert.All(new[] { existing, absent, loop }, e => Assert.Equal(SourceRefusal.Denied, e.Reason));
        Assert.Equal(existing.Message, absent.Message);
        Assert.Equal(existing.Message, loop.Message);
    }

    [Fact]
    public async Task CheckAsync_AbsentUnderTheRoot_NotFound()
    {
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => Policy().CheckAsync(Path.Combine(Root, "absent.ts"), CancellationToken.None));
        Assert.Equal(SourceRefusal.NotFound, refused.Reason);
    }

    [Fact]
    public async Task ReadAsync_FifoUnderTheRoot_InvalidWithoutBlocking()
    {
        var fifo = Path.Combine(Root, "fifo.ts");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var allowed = await Policy().CheckAsync(fifo, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => allowed.ReadAsync(_ => Task.CompletedTask, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Equal(SourceRefusal.Invalid, refused.Reason);
        Assert.Contains("not a regular file", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_NoRoots_DeniedWithoutLookingAtTheFileSystem()
    {
        var policy = new SourcePolicy([], [], []);
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => policy.CheckAsync(Path.Combine(Root, "clip.ts"), CancellationToken.None));
        Assert.Equal(SourceRefusal.Denied, refused.Reason);
        Assert.Contains("--allow-root", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/live.m3u8", "a loopback")]
    [InlineData("http://localhost/live.m3u8", "a loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "a link-local")]
    [InlineData("http://10.1.2.3/x.ts", "a private")]
    [InlineData("http://[::ffff:192.168.1.1]/x.ts", "a private")]
    [InlineData("rtmp://[::1]/live/key", "a loopback")]
    public async Task CheckAsync_UrlToANonPublicHost_DeniedSayingWhatKind(string url, string kind)
    {
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => new SourcePolicy([], ["http", "rtmp"], []).CheckAsync(url, CancellationToken.None));

        Assert.Equal(SourceRefusal.Denied, refused.Reason);
        Assert.Contains(kind, refused.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-host", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("localhost")]
    public async Task CheckAsync_LoopbackHostThatIsAllowed_Allowed(string allowHost)
    {
        var allowed = await new SourcePolicy([], ["rtmp"], [allowHost]).CheckAsync(allowHost == "localhost" ? "rtmp://localhost/live/key" : "rtmp://127.0.0.1/live/key", CancellationToken.None);
        Assert.True(allowed.IsUrl);
    }

    [Theory]
    [InlineData("srt://127.0.0.1:9000?mode=listener")]
    [InlineData("tcp://0.0.0.0:9000?listen=1")]
    [InlineData("udp://127.0.0.1:1234")]
    public async Task CheckAsync_ASourceTheDaemonListensFor_AllowedWithoutAHostCheck(string url)
    {
        var allowed = await new SourcePolicy([], ["srt", "tcp", "udp"], []).CheckAsync(url, CancellationToken.None);
        Assert.True(allowed.IsUrl);
    }

    [Fact]
    public async Task CheckAsync_SrtCallerToLoopback_Denied()
    {
        var refused = await Assert.ThrowsAsync<SourceRefusedException>(() => new SourcePolicy([], ["srt"], []).CheckAsync("srt://127.0.0.1:9000?mode=caller", CancellationToken.None));
        Assert.Equal(SourceRefusal.Denied, refused.Reason);
    }

    [Theory]
    [InlineData("rtmp://user:pw@media.example:1935/live/key?x=1", "rtmp://user:pw@203.0.113.7:1935/live/key?x=1")]
    [InlineData("srt://media.example:9000?passphrase=p", "srt://203.0.113.7:9000?passphrase=p")]
    [InlineData("rtsp://[2001:db8::1]/cam", "rtsp://[2001:db8::2]/cam")]
    public void WithHost_PinsTheHostAndKeepsTheRest(string url, string expected)
    {
        var address = System.Net.IPAddress.Parse(expected.Contains('[', StringComparison.Ordinal) ? "2001:db8::2" : "203.0.113.7");
        Assert.Equal(expected, AllowedSource.WithHost(url, address));
    }

    public void Dispose() => Directory.Delete(_top, recursive: true);

    private SourcePolicy Policy() => new([Root], [], []);
}
