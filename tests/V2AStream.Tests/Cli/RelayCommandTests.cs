using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Cli;

public sealed class RelayCommandTests
{
    [Theory]
    [InlineData("file:///etc/passwd", "rtmp://127.0.0.1/sound/x", "not a supported URL")]
    [InlineData("rtmp://127.0.0.1/live/x", "/tmp/out.flv", "--publish '/tmp/out.flv' must be a URL")]
    [InlineData("rtmp://127.0.0.1/live/x", "rtmp://127.0.0.1/sound/x", "--reconnect-window")]
    public async Task Relay_BadUsage_ExitTwoWithTheReason(string source, string destination, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync("relay", source, "--publish", destination, "--reconnect-window", expected == "--reconnect-window" ? "soon" : "1s");

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_ServerNotAnAddress_ExitTwoWithTheFormsItTakes()
    {
        var (code, _, error) = await CliRunner.RunAsync("relay", "rtmp://127.0.0.1/live/x", "--publish", "rtmp://127.0.0.1/sound/x", "--server", "localhost");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --server 'localhost' is not an address: use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:50051.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_DeviceWithServer_ExitTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("relay", "rtmp://127.0.0.1/live/x", "--publish", "rtmp://127.0.0.1/sound/x", "--server", "http://127.0.0.1:1", "--device", "cpu");

        Assert.Equal(2, code);
        Assert.Contains("with --server the daemon's own --device", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_SourceNeverReachable_ExitOneWithFfmpegsReasonAndNoChildLeft()
    {
        var (code, _, error) = await CliRunner.RunAsync("relay", "rtmp://127.0.0.1:1/live/x", "--publish", "rtmp://127.0.0.1:1/sound/x", "--server", "127.0.0.1:1", "--reconnect-window", "2s", "--status-interval", "0");

        Assert.Equal(1, code);
        // The stream key, the last part of an RTMP URL, is a secret: messages mask it.
        Assert.Contains("error: Cannot reach rtmp://127.0.0.1:1/live/***: Connection refused.", error, StringComparison.Ordinal);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_Json_EventsAsJsonLinesOnStdoutAndTheErrorOnStderr()
    {
        var (code, output, error) = await CliRunner.RunAsync("relay", "rtmp://127.0.0.1:1/live/x", "--publish", "rtmp://127.0.0.1:1/sound/x", "--server", "127.0.0.1:1", "--reconnect-window", "2s", "--status-interval", "0", "--json");

        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("""{"event":{"message":"relay: sound from the daemon at http://127.0.0.1:1/"}}""", lines);
        Assert.All(lines, line => Assert.Equal("event", Assert.Single(System.Text.Json.JsonDocument.Parse(line).RootElement.EnumerateObject()).Name));
        Assert.StartsWith("error: Cannot reach rtmp://127.0.0.1:1/live/***", error, StringComparison.Ordinal);
    }
}
