namespace V2AStream.Core.Media;

/// <summary>Why ffmpeg could not turn an input into frames.</summary>
public enum MediaErrorReason
{
    /// <summary>Any other ffmpeg failure; the stderr tail says more.</summary>
    Failed,

    /// <summary>ffmpeg or ffprobe is not installed (or not at the configured path).</summary>
    FfmpegMissing,

    /// <summary>The file does not exist.</summary>
    NotFound,

    /// <summary>The input has no bytes.</summary>
    Empty,

    /// <summary>The bytes are not a media container ffmpeg knows.</summary>
    NotVideo,

    /// <summary>A media file without a video stream (e.g. audio only).</summary>
    NoVideoStream,

    /// <summary>The video codec cannot be decoded by this ffmpeg.</summary>
    UnsupportedCodec,

    /// <summary>A container that cannot be read from a pipe (an MP4 with its index at the end).</summary>
    NotStreamable,

    /// <summary>The input ends early; frames read before the end were delivered.</summary>
    Truncated,

    /// <summary>The data is damaged; frames read before the damage were delivered.</summary>
    Corrupt,

    /// <summary>The URL cannot be reached (refused, unresolved, HTTP error, timeout).</summary>
    Unreachable,

    /// <summary>No frame arrived within the stall timeout (a live source went quiet).</summary>
    Stalled,

    /// <summary>The child ran out of its memory bound, or a picture is larger than the pixel limit.</summary>
    ResourceLimit,

    /// <summary>A format this reader does not open for files and pipes (a playlist, a list of inputs, text).</summary>
    FormatRefused,
}
