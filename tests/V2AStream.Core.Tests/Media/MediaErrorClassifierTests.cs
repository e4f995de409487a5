using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class MediaErrorClassifierTests
{
    [Theory]
    [InlineData("Decoder (codec av1) not found for input stream #0:0", MediaErrorReason.UnsupportedCodec)]
    [InlineData("[rtsp @ 0x5600] method DESCRIBE failed: 404 Not Found|rtsp://cam/x: Server returned 404 Not Found", MediaErrorReason.Unreachable)]
    [InlineData("[tcp @ 0x5600] Connection to tcp://10.0.0.1:1935 failed: Connection timed out|rtmp://10.0.0.1/live: Connection timed out", MediaErrorReason.Unreachable)]
    [InlineData("[tcp @ 0x5600] Failed to resolve hostname nowhere.invalid: Name or service not known", MediaErrorReason.Unreachable)]
    public void Classify_FfmpegsOwnWords_GiveTheReason(string stderr, MediaErrorReason reason)
    {
        var tail = new StderrTail(10);
        foreach (var line in stderr.Split('|'))
        {
            tail.Add(line);
        }

        var source = stderr.Contains("Decoder", StringComparison.Ordinal) ? MediaSource.FromFile("/tmp/x.mkv") : MediaSource.FromUrl("rtsp://cam/x");

        var error = MediaErrorClassifier.Classify(source, exitCode: 1, tail, bytesFed: 0, framesRead: 0);

        Assert.NotNull(error);
        Assert.Equal(reason, error.Reason);
        Assert.DoesNotContain("0x5600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_CleanExit_IsNoError()
    {
        Assert.Null(MediaErrorClassifier.Classify(MediaSource.FromFile("/tmp/x.mp4"), 0, new StderrTail(4), 0, 12));
    }

    [Fact]
    public void StderrTail_ManyLines_KeepsOnlyTheLastOnes()
    {
        var tail = new StderrTail(3);
        for (var i = 0; i < 100; i++)
        {
            tail.Add($"line {i}");
        }

        Assert.Equal(["line 97", "line 98", "line 99"], tail.Lines);
    }
}
