namespace V2AStream.Core.Relay;

/// <summary>
/// Keeps the published sound on the video's clock. The publisher's sound has no timestamps: its sample frame n plays
/// at n / rate after the video's first frame. So every piece of sound is placed at the frame its time says: a gap before
/// it is filled with silence, and the part of it whose time was already published (as silence, because it came too
/// late) is dropped. Both are counted. Frames here are sample frames (one sample of every channel) of 16-bit PCM.
/// Not thread-safe: the relay's audio leg serialises its calls.
/// </summary>
public sealed class AudioTimeline
{
    private readonly int _frameBytes;

    public AudioTimeline(int sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        SampleRate = sampleRate;
        _frameBytes = 2 * channels;
    }

    public int SampleRate { get; }

    /// <summary>Sample frames published so far: the sound's end on the video's clock.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Sample frames of silence published where no sound had been made in time.</summary>
    public long SilenceFrames { get; private set; }

    /// <summary>Sample frames of sound that came for a time already published, and were dropped.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>The sample frame at <paramref name="ticks"/> of a 90 kHz clock after the video's first frame (rounded).</summary>
    public long FrameAt90kHz(long ticks) => (long)Math.Round(ticks * (double)SampleRate / TsPacket.ClockHz, MidpointRounding.AwayFromZero);

    /// <summary>Seconds of <paramref name="frames"/> sample frames.</summary>
    public double Seconds(long frames) => frames / (double)SampleRate;

    /// <summary>The silence that brings the sound up to <paramref name="frame"/>; empty when it is there already.</summary>
    public ReadOnlyMemory<byte> SilenceTo(long frame)
    {
        var missing = frame - FramesWritten;
        if (missing <= 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        FramesWritten = frame;
        SilenceFrames += missing;
        return new byte[checked((int)(missing * _frameBytes))];
    }

    /// <summary>
    /// The bytes to publish for <paramref name="pcm"/>, sound that starts at sample frame <paramref name="startFrame"/>:
    /// silence first when it starts after the sound's end, and without its first frames when they were published already.
    /// </summary>
    public ReadOnlyMemory<byte> Place(long startFrame, ReadOnlyMemory<byte> pcm)
    {
        if (pcm.Length % _frameBytes != 0)
        {
            throw new ArgumentException($"PCM of {pcm.Length} bytes is not whole frames of {_frameBytes} bytes.", nameof(pcm));
        }

        var frames = pcm.Length / _frameBytes;
        var late = Math.Clamp(FramesWritten - startFrame, 0, frames);
        DroppedFrames += late;
        var kept = pcm[(int)(late * _frameBytes)..];
        var silence = SilenceTo(startFrame);
        FramesWritten += frames - late;
        if (silence.IsEmpty)
        {
            return kept;
        }

        var joined = new byte[silence.Length + kept.Length];
        kept.CopyTo(joined.AsMemory(silence.Length));
        return joined;
    }
}
