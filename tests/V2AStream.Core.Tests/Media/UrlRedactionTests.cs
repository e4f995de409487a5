using V2AStream.Core.Media;
using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("rtmp://publisher:hunter2@live.example/app/sk_live_123", "rtmp://***@live.example/app/***")]
    [InlineData("srt://ingest.example:9000?mode=caller&passphrase=correct-horse&streamid=#!::r=live,m=publish", "srt://ingest.example:9000?mode=***&passphrase=***&streamid=***")]
    [InlineData("https://cdn.example/live/index.m3u8?token=abc&expires=1", "https://cdn.example/live/index.m3u8?token=***&expires=***")]
    [InlineData("Cannot reach http://u:p@10.0.0.1:8080/x.ts: Connection refused", "Cannot reach http://***@10.0.0.1:8080/x.ts: Connection refused")]
    [InlineData("http://cdn.example/live/index.m3u8", "http://cdn.example/live/index.m3u8")]
    [InlineData("/media/clip.mp4 is empty", "/media/clip.mp4 is empty")]
    public void Redact_UrlsWithSecrets_SecretsMaskedHostsKept(string text, string expected) =>
        Assert.Equal(expected, UrlRedaction.Redact(text));

    [Fact]
    public void FromUrl_Location_HasNoSecret()
    {
        var source = MediaSource.FromUrl("srt://ingest.example:9000?passphrase=correct-horse");
        Assert.DoesNotContain("correct-horse", source.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFramesAsync_UrlWithUserInfoThatFails_NeitherMessageNorStderrTailHoldsThePassword()
    {
        await using var server = new LocalHttpServer(new Dictionary<string, byte[]>());
        var url = server.MissingUrl.Replace("http://", "http://viewer:s3cret-pw@", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var frame in new FrameReader(new FrameReaderOptions { Geometry = FrameGeometry.Plain(32, 32) }).ReadFramesAsync(MediaSource.FromUrl(url)))
            {
                frame.Dispose();
            }
        });

        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.StderrTail, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }
}
