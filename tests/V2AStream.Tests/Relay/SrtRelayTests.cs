using System.Globalization;
using System.Net;
using System.Net.Sockets;
using V2AStream.Tests.Daemon;
using Xunit.Abstractions;

using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary>
/// <c>v2a relay</c> over SRT on loopback, with ffmpeg on the other side of each leg, both ways round: the relay listening
/// for the publisher and calling the viewer, and the relay calling the publisher and listening for the viewer. The senders
/// set SRT's linger: in live mode SRT drops what is still unsent when a sender closes, which would cut the last packets.
/// </summary>
[Collection(RelayCollection.Name)]
public sealed class SrtRelayTests(RelayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Relay_ListensForTheSourceAndCallsTheViewer_SoundInSync()
    {
        var sourcePort = FreeUdpPort();
        var viewerPort = FreeUdpPort();
        var recording = fixture.OutputPath("viewer.ts");
        await using var viewer = FfmpegRun.Start("-i", $"srt://127.0.0.1:{viewerPort}?mode=listener", "-c", "copy", "-f", "mpegts", "-y", recording);
        await WaitForUdpPortAsync(viewerPort, "the viewer to listen");

        // No --server: the daemon runs inside the relay.
        await using var relay = RelayRun.Start($"srt://127.0.0.1:{sourcePort}?mode=listener", "--publish", $"srt://127.0.0.1:{viewerPort}?mode=caller&linger=5", "--reconnect-window", "2s", "--status-interval", "0");
        await WaitForUdpPortAsync(sourcePort, "the relay to listen");
        await using (var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "mpegts", $"srt://127.0.0.1:{sourcePort}?mode=caller&linger=5"))
        {
            Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
        }

        Assert.Equal(0, await relay.WaitAsync(RunTimeout));
        Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
        output.WriteLine(relay.Errors);
        Assert.Contains("from the builtin model set in this process", relay.Errors, StringComparison.Ordinal);
        await ViewerRecording.AssertCopiedWithSoundInSyncAsync(recording, fixture, output);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_CallsTheSourceAndListensForTheViewer_SoundInSync()
    {
        var sourcePort = FreeUdpPort();
        var viewerPort = FreeUdpPort();
        var recording = fixture.OutputPath("viewer.ts");
        await using var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "mpegts", $"srt://127.0.0.1:{sourcePort}?mode=listener&linger=5");
        await WaitForUdpPortAsync(sourcePort, "the publisher to listen");
        await using var relay = RelayRun.Start($"srt://127.0.0.1:{sourcePort}?mode=caller", "--publish", $"srt://127.0.0.1:{viewerPort}?mode=listener&linger=5", "--server", fixture.Daemon.ToString(), "--reconnect-window", "2s", "--status-interval", "0");

        // The relay's publisher listens once it has the first sound to publish.
        await WaitForUdpPortAsync(viewerPort, "the relay to listen");
        await using var viewer = FfmpegRun.Start("-i", $"srt://127.0.0.1:{viewerPort}?mode=caller", "-c", "copy", "-f", "mpegts", "-y", recording);
        Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
        Assert.Equal(0, await relay.WaitAsync(RunTimeout));
        Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
        output.WriteLine(relay.Errors);
        await ViewerRecording.AssertCopiedWithSoundInSyncAsync(recording, fixture, output);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    /// <summary>Waits until a socket of this machine is bound to UDP <paramref name="port"/> (an SRT listener, in /proc/net/udp).</summary>
    private static async Task WaitForUdpPortAsync(int port, string what)
    {
        var hex = $":{port.ToString("X4", CultureInfo.InvariantCulture)} ";
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!File.ReadLines("/proc/net/udp").Skip(1).Any(line => line.Split(':', 2)[1].TrimStart().Split(' ')[0].EndsWith(hex.TrimEnd(), StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {RunTimeout.TotalSeconds:F0} s for {what}.");

            // The kernel gives no other signal that a UDP port was bound: /proc is polled.
            await Task.Delay(100);
        }
    }
}
