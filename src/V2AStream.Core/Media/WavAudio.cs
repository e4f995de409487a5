namespace V2AStream.Core.Media;

/// <summary>Decoded WAV audio: interleaved float samples in [-1, 1].</summary>
public sealed record WavAudio(int SampleRate, int Channels, WavSampleFormat Format, float[] Samples)
{
    /// <summary>Samples per channel.</summary>
    public long Frames => Samples.Length / Channels;
}
