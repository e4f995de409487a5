using System.Text;
using V2AStream.Protos.V1;
using V2AStream.Testing;
using V2AStream.Testing.Media;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// GenerateFromSource against the security review's findings, on a daemon that allows its corpus folder, http, and the
/// host 127.0.0.1: links out of the root, playlists naming files or other hosts, redirects, reachability probing.
/// </summary>
[Collection(HostileCorpusCollection.Name)]
public sealed class SourceSecurityTests(HostileCorpus corpus)
{
    [Fact]
    public async Task HttpUrlOnAnAllowedHost_AudioThroughTheEgressProxy()
    {
        var outcome = await FromSourceAsync(corpus.Http.UrlOf("/clip.ts"));

        Assert.True(outcome.Status == "OK", outcome.Detail);
        Assert.Equal(10_000_000, outcome.Summary!.DurationUs);
        Assert.Equal(160_000, outcome.SamplesReceived);
    }

    [Fact]
    public async Task HlsPlaylistWithSegmentsOnTheSameHost_Audio()
    {
        var hls = Directory.CreateTempSubdirectory("v2a-hls-").FullName;
        try
        {
            HostileMedia.Ffmpeg("-i", corpus.PathOf("clean.ts"), "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", Path.Combine(hls, "index.m3u8"));
            await using var server = new LocalHttpServer(Directory.GetFiles(hls).ToDictionary(f => "/" + Path.GetFileName(f), File.ReadAllBytes));

            var outcome = await FromSourceAsync(server.UrlOf("/index.m3u8"));

            Assert.True(outcome.Status == "OK", outcome.Detail);
            Assert.Equal(10_000_000, outcome.Summary!.DurationUs);
        }
        finally
        {
            Directory.Delete(hls, recursive: true);
        }
    }

    [Fact]
    public async Task PlaylistNamingAnotherHost_PermissionDeniedAndThatHostNeverAsked()
    {
        await using var server = new LocalHttpServer(new Dictionary<string, byte[]>());
        await using var playlist = new LocalHttpServer(new Dictionary<string, byte[]> { ["/live.m3u8"] = Playlist($"http://localhost:{server.Port}/segment.ts") });

        var outcome = await FromSourceAsync(playlist.UrlOf("/live.m3u8"));

        Assert.Equal("PermissionDenied", outcome.Status);
        Assert.Contains("'localhost'", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task RedirectToAnotherHost_PermissionDeniedAndTheTargetNeverAsked()
    {
        await using var target = new LocalHttpServer(await File.ReadAllBytesAsync(corpus.PathOf("clean.ts")));
        await using var redirector = new LocalHttpServer(new Dictionary<string, byte[]>());
        redirector.Redirects["/clip.ts"] = $"http://localhost:{target.Port}/clip";

        var outcome = await FromSourceAsync(redirector.UrlOf("/clip.ts"));

        Assert.Equal("PermissionDenied", outcome.Status);
        Assert.Contains("'localhost'", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task RefusedHostThatIsUpOrDown_TheSameAnswer()
    {
        await using var up = new LocalHttpServer(await File.ReadAllBytesAsync(corpus.PathOf("clean.ts")));
        var downPort = LoopbackPort.Free();
        await using var playlists = new LocalHttpServer(new Dictionary<string, byte[]>
        {
            ["/up.m3u8"] = Playlist($"http://localhost:{up.Port}/clip.ts"),
            ["/down.m3u8"] = Playlist($"http://localhost:{downPort}/clip.ts"),
        });

        var toUp = await FromSourceAsync(playlists.UrlOf("/up.m3u8"));
        var toDown = await FromSourceAsync(playlists.UrlOf("/down.m3u8"));

        Assert.Equal("PermissionDenied", toUp.Status);
        Assert.Equal(toUp.Status, toDown.Status);
        Assert.Equal(toUp.Detail, toDown.Detail);
        Assert.Empty(up.Requests);
    }

    [Theory]
    [InlineData("http://10.255.255.1:81/live.m3u8", "a private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "a link-local")]
    [InlineData("http://127.0.0.2:81/x.ts", "a loopback")]
    public async Task UrlToAHostNotAllowed_PermissionDeniedAtOnceWithoutConnecting(string url, string kind)
    {
        // 10.255.255.1 and 127.0.0.2:81 answer nothing: a connection attempt would take the full timeout.
        var outcome = await FromSourceAsync(url);

        Assert.Equal("PermissionDenied", outcome.Status);
        Assert.Contains(kind, outcome.Detail, StringComparison.Ordinal);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(5), $"took {outcome.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ChainOfLinksOutOfTheRoot_PermissionDenied()
    {
        var link = corpus.PathOf("outside-link");
        var rel = corpus.PathOf("chain.ts");
        File.CreateSymbolicLink(link, corpus.Outside);
        File.CreateSymbolicLink(rel, "outside-link/elsewhere.ts");
        try
        {
            var outcome = await FromSourceAsync(rel);

            Assert.Equal("PermissionDenied", outcome.Status);
        }
        finally
        {
            File.Delete(rel);
            File.Delete(link);
        }
    }

    [Theory]
    [InlineData("clean.ts\0.txt")]
    [InlineData("loop-a")]
    public async Task NulByteOrLinkLoop_InvalidArgumentNotUnknown(string name)
    {
        var a = corpus.PathOf("loop-a");
        var b = corpus.PathOf("loop-b");
        File.CreateSymbolicLink(a, "loop-b");
        File.CreateSymbolicLink(b, "loop-a");
        try
        {
            var outcome = await FromSourceAsync(corpus.Directory + "/" + name);

            Assert.Equal("InvalidArgument", outcome.Status);
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    private Task<CallOutcome> FromSourceAsync(string source)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return DaemonCalls.GenerateFromSourceOutcomeAsync(corpus.Address, new SourceRequest { Source = source, Config = DaemonCalls.Config() }, limit.Token);
    }

    private static byte[] Playlist(string segmentUrl) =>
        Encoding.ASCII.GetBytes($"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{segmentUrl}\n#EXT-X-ENDLIST\n");
}
