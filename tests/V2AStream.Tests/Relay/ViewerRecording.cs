using System.Globalization;
using Xunit.Abstractions;

using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary>What a viewer recorded of a relay that read the fixture's whole clip, checked as a viewer would notice it.</summary>
internal static class ViewerRecording
{
    /// <summary>
    /// H.264 video and AAC sound, both the clip's length; every picture the clip's own (copied, not re-encoded); the sound
    /// the daemon's sound for the clip; and the two in step: the A/V offset (where the sound sits minus where the pictures
    /// sit, measured at the clip's scene cuts and by correlating the sound with the reference) within 40 ms. Returns it.
    /// </summary>
    public static async Task<double> AssertCopiedWithSoundInSyncAsync(string recording, RelayFixture fixture, ITestOutputHelper output)
    {
        var streams = await MediaProbe.StreamsAsync(recording);
        Assert.Equal("h264", streams["video"].Codec);
        Assert.Equal("aac", streams["audio"].Codec);
        Assert.InRange(streams["video"].End - streams["video"].Start, RelayFixture.ClipSeconds - 0.05, RelayFixture.ClipSeconds + 0.05);
        Assert.InRange(streams["audio"].End - streams["audio"].Start, RelayFixture.ClipSeconds - 0.05, RelayFixture.ClipSeconds + 0.05);
        Assert.Equal(fixture.ClipFrames, await MediaProbe.FrameHashesAsync(recording));

        // The scene cuts of the published video sit where the clip's are, shifted by where the viewer's clock put the first frame.
        var cuts = await MediaProbe.VideoCutsAsync(recording);
        Assert.Equal(RelayFixture.Scenes - 1, cuts.Count);
        var offsets = cuts.Select((cut, i) => cut - ((i + 1) * RelayFixture.SceneSeconds)).ToList();
        var videoOffset = offsets.Average();
        Assert.All(offsets, offset => Assert.InRange(offset, videoOffset - 0.001, videoOffset + 0.001));

        var sound = await MediaProbe.SoundAsync(recording, RelayFixture.ReferenceRate);
        var (soundOffset, correlation) = MediaProbe.Align(fixture.Reference, sound, RelayFixture.ReferenceRate, videoOffset, 0.3);
        var avOffset = soundOffset - videoOffset;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"video offset {videoOffset * 1000:F1} ms, sound offset {soundOffset * 1000:F1} ms, A/V offset {avOffset * 1000:F1} ms, correlation {correlation:F3}"));
        Assert.True(correlation > 0.9, $"the published sound is not the generated sound (correlation {correlation:F3})");
        Assert.InRange(avOffset, -0.040, 0.040);
        return avOffset;
    }
}
