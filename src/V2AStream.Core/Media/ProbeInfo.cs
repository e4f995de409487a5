namespace V2AStream.Core.Media;

/// <summary>What ffprobe says about an input before it is decoded. Sizes are as coded (before rotation).</summary>
public sealed record ProbeInfo
{
    /// <summary>The container's format name(s), e.g. "mov,mp4,m4a,3gp,3g2,mj2".</summary>
    public required string FormatName { get; init; }

    /// <summary>Duration in seconds, null for live or unknown.</summary>
    public double? DurationSeconds { get; init; }

    public bool HasVideo { get; init; }

    public bool HasAudio { get; init; }

    /// <summary>The first video stream's codec, e.g. "h264".</summary>
    public string? VideoCodec { get; init; }

    /// <summary>Coded width of the first video stream.</summary>
    public int Width { get; init; }

    /// <summary>Coded height of the first video stream.</summary>
    public int Height { get; init; }

    /// <summary>Average frame rate (frames/s); null when unknown.</summary>
    public double? FrameRate { get; init; }

    /// <summary>Display rotation in degrees as stored (e.g. -90); ffmpeg applies it when decoding.</summary>
    public int Rotation { get; init; }

    /// <summary>Width as displayed, after rotation.</summary>
    public int DisplayWidth => Math.Abs(Rotation) % 180 == 90 ? Height : Width;

    /// <summary>Height as displayed, after rotation.</summary>
    public int DisplayHeight => Math.Abs(Rotation) % 180 == 90 ? Width : Height;
}
