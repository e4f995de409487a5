using System.Globalization;
using V2AStream.Soak;
using V2AStream.Testing;
using V2AStream.Testing.MediaServers;
using V2AStream.Tests.Daemon;
using Xunit.Abstractions;

namespace V2AStream.Tests.Relay;

/// <summary>
/// <c>v2a relay</c> against a real nginx-rtmp on loopback: ffmpeg publishes a multi-scene clip at 1x as OBS would, the
/// relay reads it and publishes it again with the generated sound, and a viewer (ffmpeg) records what it gets.
/// </summary>
[Collection(RelayCollection.Name)]
public sealed partial class RelayTests(RelayFixture fixture, ITestOutputHelper output)
{
    /// <summary>Players of an application learn at once when its publisher stops (the relay's source end, the viewer's end).</summary>
    private const string LiveApplication = "rtmp { server { listen 127.0.0.1:{port}; application live { live on; play_restart on; } } }";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Relay_RtmpThroughNginx_ViewerGetsTheVideoCopiedWithAacSoundInSync()
    {
        await using var nginx = await NginxRtmpServer.StartAsync(LiveApplication);
        var recording = fixture.OutputPath("viewer.flv");
        await using var viewer = FfmpegRun.Start("-i", nginx.Url("live", "out"), "-c", "copy", "-f", "flv", "-y", recording);
        await using var relay = RelayRun.Start(nginx.Url("live", "in"), "--publish", nginx.Url("live", "out"), "--server", fixture.Daemon.ToString(), "--reconnect-window", "1s", "--status-interval", "2s");
        await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("live", "in") == 1 && await nginx.PlayersAsync("live", "out") == 1, RunTimeout, "the relay and the viewer to wait for their streams");

        await using (var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "flv", nginx.Url("live", "in")))
        {
            Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
        }

        Assert.Equal(0, await relay.WaitAsync(RunTimeout));
        Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
        output.WriteLine(relay.Errors);

        await ViewerRecording.AssertCopiedWithSoundInSyncAsync(recording, fixture, output);

        // The relay reported the daemon's scenes, on the published clock.
        Assert.True(fixture.ReferenceScenes.Count >= 3, "the clip should make the daemon change the sound at least twice");
        Assert.Equal(fixture.ReferenceScenes, SceneStarts(relay.Errors));
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_SourceDropsAndComesBack_KeepsPublishingOnOneClock()
    {
        // OBS stops, then goes live again: the clip's first 6 s (stream-copied, so up to the B-frames past 6 s) twice.
        var part = fixture.OutputPath("part.mp4");
        await DaemonFixture.FfmpegAsync(["-i", fixture.Clip, "-t", "6", "-c", "copy", "-movflags", "+faststart", "-y", part]);
        var partFrames = await MediaProbe.FrameHashesAsync(part);
        await using var nginx = await NginxRtmpServer.StartAsync(LiveApplication);
        var recording = fixture.OutputPath("viewer.flv");
        await using var viewer = FfmpegRun.Start("-i", nginx.Url("live", "out"), "-c", "copy", "-f", "flv", "-y", recording);
        await using var relay = RelayRun.Start(nginx.Url("live", "in"), "--publish", nginx.Url("live", "out"), "--server", fixture.Daemon.ToString(), "--reconnect-window", "6s", "--status-interval", "0");
        await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("live", "in") == 1 && await nginx.PlayersAsync("live", "out") == 1, RunTimeout, "the relay and the viewer to wait for their streams");

        for (var time = 0; time < 2; time++)
        {
            if (time > 0)
            {
                await nginx.WaitUntilAsync(
                    async () => relay.Errors.Contains("relay: the source ended", StringComparison.Ordinal) && await nginx.PlayersAsync("live", "in") == 1,
                    RunTimeout,
                    "the relay to see the source end and wait for it again");
            }

            await using var publisher = FfmpegRun.Start("-re", "-i", part, "-c", "copy", "-f", "flv", nginx.Url("live", "in"));
            Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
        }

        Assert.Equal(0, await relay.WaitAsync(RunTimeout));
        Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
        output.WriteLine(relay.Errors);
        Assert.Contains("relay: source back (reconnection 1)", relay.Errors, StringComparison.Ordinal);

        // One publication: both parts' pictures in order, the second right after the first, and the sound of each part where its pictures are.
        Assert.Equal([.. partFrames, .. partFrames], await MediaProbe.FrameHashesAsync(recording));
        var partStreams = await MediaProbe.StreamsAsync(part);
        var partSeconds = partStreams["video"].End - partStreams["video"].Start;
        var cuts = await MediaProbe.VideoCutsAsync(recording);
        Assert.Equal(3, cuts.Count);
        Assert.InRange(cuts[1] - cuts[0], partSeconds - RelayFixture.SceneSeconds - 0.001, partSeconds - RelayFixture.SceneSeconds + 0.001);
        Assert.InRange(cuts[2] - cuts[1], RelayFixture.SceneSeconds - 0.001, RelayFixture.SceneSeconds + 0.001);
        var streams = await MediaProbe.StreamsAsync(recording);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"video {streams["video"].Start:F3}-{streams["video"].End:F3} s, sound {streams["audio"].Start:F3}-{streams["audio"].End:F3} s, cuts {string.Join(", ", cuts)}"));
        // The daemon's sound covers whole sample intervals (0.25 s at 4 fps): the last one may run past the last picture.
        var videoSpan = streams["video"].End - streams["video"].Start;
        Assert.InRange(streams["audio"].End - streams["audio"].Start, videoSpan - 0.05, videoSpan + 0.25);
        var sound = await MediaProbe.SoundAsync(recording, RelayFixture.ReferenceRate);
        var reference = fixture.Reference.AsSpan(0, (int)(4.5 * RelayFixture.ReferenceRate));
        foreach (var partStart in new[] { cuts[0] - RelayFixture.SceneSeconds, cuts[1] })
        {
            var (soundOffset, correlation) = MediaProbe.Align(reference, sound, RelayFixture.ReferenceRate, partStart, 0.3);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"part at {partStart:F3} s: A/V offset {(soundOffset - partStart) * 1000:F1} ms, correlation {correlation:F3}"));
            Assert.True(correlation > 0.9, $"the part at {partStart:F3} s is not the generated sound (correlation {correlation:F3})");
            Assert.InRange(soundOffset - partStart, -0.040, 0.040);
        }

        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_DaemonRestarts_SilenceUntilItIsBackThenSoundInStep()
    {
        await using var nginx = await NginxRtmpServer.StartAsync(LiveApplication);
        var port = LoopbackPort.Free();
        var daemon = await SpawnedDaemon.StartOnPortAsync(port, 2, null, [], RunTimeout, CancellationToken.None);
        try
        {
            var recording = fixture.OutputPath("viewer.flv");
            await using var viewer = FfmpegRun.Start("-i", nginx.Url("live", "out"), "-c", "copy", "-f", "flv", "-y", recording);
            await using var relay = RelayRun.Start(nginx.Url("live", "in"), "--publish", nginx.Url("live", "out"), "--server", $"http://127.0.0.1:{port}", "--reconnect-window", "1s", "--status-interval", "0.5s");
            await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("live", "in") == 1 && await nginx.PlayersAsync("live", "out") == 1, RunTimeout, "the relay and the viewer to wait for their streams");
            await using var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "flv", nginx.Url("live", "in"));

            // The daemon dies once the relay has published 4 s of sound, and comes back on the same port.
            await nginx.WaitUntilAsync(() => Task.FromResult(LastSoundSeconds(relay.Errors) >= 4), RunTimeout, "4 s of sound");
            await daemon.DisposeAsync();
            await nginx.WaitUntilAsync(() => Task.FromResult(relay.Errors.Contains("the sound service failed", StringComparison.Ordinal)), RunTimeout, "the relay to notice");
            daemon = await SpawnedDaemon.StartOnPortAsync(port, 2, null, [], RunTimeout, CancellationToken.None);

            Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
            Assert.Equal(0, await relay.WaitAsync(RunTimeout));
            Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
            output.WriteLine(relay.Errors);

            var back = BackLine().Match(relay.Errors);
            Assert.True(back.Success, "the relay should say when the sound is back");
            var resumedAt = double.Parse(back.Groups[1].Value, CultureInfo.InvariantCulture);
            var silence = double.Parse(SummarySilence().Match(relay.Errors).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(silence, 0.1, resumedAt - 4);
            Assert.Contains("reconnects: source 0, daemon 1", relay.Errors, StringComparison.Ordinal);

            // Every picture published; the sound as long as the video, silent just before the new call's key frame, sounding from it.
            Assert.Equal(fixture.ClipFrames, await MediaProbe.FrameHashesAsync(recording));
            var streams = await MediaProbe.StreamsAsync(recording);
            Assert.InRange(streams["audio"].End - streams["audio"].Start, RelayFixture.ClipSeconds - 0.05, RelayFixture.ClipSeconds + 0.05);
            var videoOffset = (await MediaProbe.VideoCutsAsync(recording))[0] - RelayFixture.SceneSeconds;
            var sound = await MediaProbe.SoundAsync(recording, RelayFixture.ReferenceRate);
            var resumed = resumedAt + videoOffset;
            var before = MediaProbe.Rms(sound, RelayFixture.ReferenceRate, resumed - 0.3, resumed - 0.03);
            var after = MediaProbe.Rms(sound, RelayFixture.ReferenceRate, resumed + 0.03, resumed + 0.3);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sound resumed at {resumed:F3} s: RMS {before:G3} before, {after:G3} after"));
            Assert.True(before < 1e-3, $"silence before the daemon's sound resumed (RMS {before:G3})");
            Assert.True(after > 1e-2, $"sound from the new call's key frame on (RMS {after:G3})");
        }
        finally
        {
            await daemon.DisposeAsync();
        }

        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_DestinationRefuses_ExitOneWithFfmpegsReasonAndNoChildLeft()
    {
        await using var nginx = await NginxRtmpServer.StartAsync(LiveApplication);
        await using var relay = RelayRun.Start(nginx.Url("live", "in"), "--publish", $"rtmp://127.0.0.1:{LoopbackPort.Free()}/sound/x", "--server", fixture.Daemon.ToString(), "--status-interval", "0");
        await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("live", "in") == 1, RunTimeout, "the relay to wait for its stream");
        await using (var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "flv", nginx.Url("live", "in")))
        {
            Assert.Equal(1, await relay.WaitAsync(RunTimeout));
        }

        Assert.Contains("error: Publishing failed", relay.Errors, StringComparison.Ordinal);
        Assert.Contains("Connection refused", relay.Errors, StringComparison.Ordinal);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>The sound published so far, from the relay's last status line.</summary>
    private static double LastSoundSeconds(string errors) =>
        StatusSound().Matches(errors).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).LastOrDefault();

    [System.Text.RegularExpressions.GeneratedRegex(@"  sound ([0-9.]+) s  ")]
    private static partial System.Text.RegularExpressions.Regex StatusSound();

    [System.Text.RegularExpressions.GeneratedRegex(@"sound is back after [0-9.]+ s: call \d+ from ([0-9.]+) s")]
    private static partial System.Text.RegularExpressions.Regex BackLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"s of sound, ([0-9.]+) s of it silence")]
    private static partial System.Text.RegularExpressions.Regex SummarySilence();

    /// <summary>The "scene N at T s" lines the relay printed.</summary>
    private static List<double> SceneStarts(string errors) =>
        SceneLine().Matches(errors).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [System.Text.RegularExpressions.GeneratedRegex(@"^scene \d+\s+at\s+([0-9.]+) s", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex SceneLine();
}
