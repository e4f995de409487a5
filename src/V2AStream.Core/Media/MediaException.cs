namespace V2AStream.Core.Media;

/// <summary>
/// An input ffmpeg could not read, with ffmpeg's own reason. <see cref="FramesRead"/> frames were delivered
/// before the failure (they stay valid: a truncated file still gives the frames it has).
/// </summary>
public sealed class MediaException : Exception
{
    public MediaException(MediaErrorReason reason, string message, string input, string stderrTail = "", int framesRead = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Input = input;
        StderrTail = stderrTail;
        FramesRead = framesRead;
    }

    public MediaErrorReason Reason { get; }

    /// <summary>The path or URL (or "-" / "(stream)").</summary>
    public string Input { get; }

    /// <summary>The last lines ffmpeg wrote on stderr (bounded), for logs.</summary>
    public string StderrTail { get; }

    /// <summary>Frames delivered before the failure.</summary>
    public int FramesRead { get; }

    /// <summary>
    /// The input ended early after giving frames (a truncated file, damage ffmpeg cannot read past): its readers keep what
    /// decoded and say why it stopped, rather than fail the whole stream.
    /// </summary>
    public bool EndedInputEarly => FramesRead > 0 && Reason is MediaErrorReason.Truncated or MediaErrorReason.Corrupt;
}
