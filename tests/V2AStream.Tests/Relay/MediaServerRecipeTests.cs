using System.Text.RegularExpressions;
using V2AStream.Cli;
using V2AStream.Testing;
using Xunit.Abstractions;

using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary>The media-server recipes of samples/README.md, run as written there.</summary>
[Collection(RelayCollection.Name)]
public sealed partial class MediaServerRecipeTests(RelayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task NginxExecPushRecipe_StreamPublished_ViewersGetItWithSoundAndTheRelayEndsWithIt()
    {
        var recipe = NginxRecipe()
            .Replace("listen 1935;", "listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("127.0.0.1:1935", "127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("/opt/V2AStream/v2a", $"dotnet {typeof(CliApp).Assembly.Location}", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:50051", fixture.Daemon.ToString().TrimEnd('/'), StringComparison.Ordinal);
        await using var nginx = await NginxRtmpServer.StartAsync(recipe);
        var recording = fixture.OutputPath("viewer.flv");
        await using var viewer = FfmpegRun.Start("-i", nginx.Url("sound", "cam"), "-c", "copy", "-f", "flv", "-y", recording);
        await nginx.WaitUntilAsync(async () => await nginx.PlayersAsync("sound", "cam") == 1, RunTimeout, "the viewer to wait for sound/cam");

        await using (var publisher = FfmpegRun.Start("-re", "-i", fixture.Clip, "-c", "copy", "-f", "flv", nginx.Url("live", "cam")))
        {
            await nginx.WaitUntilAsync(() => nginx.IsPublishedAsync("sound", "cam"), RunTimeout, "nginx's relay to publish sound/cam");
            Assert.Equal(0, await publisher.WaitAsync(RunTimeout));
        }

        // The stream stopped: nginx stops the relay, which closes its publication, which ends the viewer.
        Assert.Equal(0, await viewer.WaitAsync(RunTimeout));
        await nginx.WaitUntilAsync(() => Task.FromResult(nginx.ChildProcesses() == 0), RunTimeout, "the relay to end");
        Assert.False(await nginx.IsPublishedAsync("sound", "cam"));

        // The relay joined the stream once nginx started it: the viewer gets the clip from a key frame on, with its sound.
        var streams = await MediaProbe.StreamsAsync(recording);
        output.WriteLine($"video {streams["video"].Start:F3}-{streams["video"].End:F3} s, sound {streams["audio"].Start:F3}-{streams["audio"].End:F3} s");
        Assert.Equal("h264", streams["video"].Codec);
        Assert.Equal("aac", streams["audio"].Codec);
        var videoSeconds = streams["video"].End - streams["video"].Start;
        Assert.InRange(videoSeconds, RelayFixture.SceneSeconds, RelayFixture.ClipSeconds + 0.05);
        Assert.InRange(streams["audio"].End - streams["audio"].Start, videoSeconds - 0.05, videoSeconds + 0.25);
        var frames = await MediaProbe.FrameHashesAsync(recording);
        Assert.Contains(Enumerable.Range(0, fixture.ClipFrames.Count - frames.Count + 1), start => fixture.ClipFrames.Skip(start).Take(frames.Count).SequenceEqual(frames));
        var sound = await MediaProbe.SoundAsync(recording, RelayFixture.ReferenceRate);
        Assert.True(MediaProbe.Rms(sound, RelayFixture.ReferenceRate, 1, (sound.Length / (double)RelayFixture.ReferenceRate) - 1) > 1e-2, "the viewer should hear the generated sound");
    }

    /// <summary>The fenced nginx block of samples/README.md's nginx-rtmp recipe.</summary>
    private static string NginxRecipe()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "README.md"));
        var match = NginxBlock().Match(readme);
        Assert.True(match.Success, "samples/README.md should have the nginx-rtmp recipe in a ```nginx block");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"```nginx\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();
}
