namespace V2AStream.Core.Media;

/// <summary>Where a <see cref="MediaSource"/>'s bytes come from.</summary>
public enum MediaSourceKind
{
    /// <summary>A local file ffmpeg opens itself (seekable, probeable).</summary>
    File,

    /// <summary>A network URL ffmpeg opens itself (http/https/hls, rtmp, rtsp, srt, udp, tcp, rtp).</summary>
    Url,

    /// <summary>Bytes the program copies into ffmpeg's stdin: its own stdin, a Stream, or a pipe a producer writes.</summary>
    Stream,
}
