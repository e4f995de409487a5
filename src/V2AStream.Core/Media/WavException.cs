namespace V2AStream.Core.Media;

/// <summary>A WAV file that cannot be read, with the reason.</summary>
public sealed class WavException(WavErrorReason reason, string message) : Exception(message)
{
    public WavErrorReason Reason { get; } = reason;
}
