namespace V2AStream.Core.Media;

/// <summary>How a WAV file stores its samples.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed little-endian PCM (WAVE_FORMAT_PCM).</summary>
    Pcm16,

    /// <summary>32-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT).</summary>
    Float32,
}
