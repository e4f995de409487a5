namespace V2AStream.Core.Media;

/// <summary>Output channel handling: the generators make mono; stereo output duplicates it.</summary>
public static class ChannelLayout
{
    /// <summary>Interleaves <paramref name="mono"/> into <paramref name="channels"/> identical channels.</summary>
    public static float[] Duplicate(ReadOnlySpan<float> mono, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 8);
        var interleaved = new float[mono.Length * channels];
        for (var i = 0; i < mono.Length; i++)
        {
            interleaved.AsSpan(i * channels, channels).Fill(mono[i]);
        }

        return interleaved;
    }
}
