namespace V2AStream.Core.Media;

/// <summary>Why a WAV file cannot be read.</summary>
public enum WavErrorReason
{
    /// <summary>Not a RIFF/WAVE file.</summary>
    NotWav,

    /// <summary>A sample format this reader does not handle.</summary>
    UnsupportedFormat,

    /// <summary>The header is inconsistent, or a chunk is cut short.</summary>
    Corrupt,
}
