namespace V2AStream.Core.Relay;

/// <summary>Where and how a <see cref="MuxingPublisher"/> publishes: the destination, its container, and the sound's format.</summary>
public sealed record MuxingPublisherOptions
{
    /// <summary>Containers the publisher can write: FLV (RTMP) and MPEG-TS (SRT, UDP, TCP).</summary>
    public static readonly IReadOnlyList<string> Formats = ["flv", "mpegts"];

    /// <summary>Audio codecs the publisher can encode the sound with.</summary>
    public static readonly IReadOnlyList<string> AudioCodecs = ["aac"];

    /// <summary>The URL to publish to (rtmp://, srt://, udp://, tcp://...).</summary>
    public required string Destination { get; init; }

    /// <summary>One of <see cref="Formats"/>.</summary>
    public required string Format { get; init; }

    /// <summary>One of <see cref="AudioCodecs"/>.</summary>
    public string AudioCodec { get; init; } = "aac";

    public int AudioBitrate { get; init; } = 128_000;

    /// <summary>Rate of the 16-bit PCM the publisher is given (and of the encoded sound).</summary>
    public int SampleRate { get; init; } = 48_000;

    public int Channels { get; init; } = 2;

    /// <summary>The ffmpeg program (name on PATH or a path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>How long ffmpeg gets to finish writing once both inputs have ended, before its tree is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of video or of sound buffered here while ffmpeg does not read them; a writer waits past it.</summary>
    public int BufferBytes { get; init; } = 32 << 20;

    /// <summary>Lines of ffmpeg's stderr kept for error messages.</summary>
    public int StderrTailLines { get; init; } = 24;

    /// <summary>Bytes of one PCM frame (all channels of one sample).</summary>
    public int AudioFrameBytes => 2 * Channels;

    /// <summary>The format a destination URL implies: FLV for rtmp(s), MPEG-TS for the rest.</summary>
    public static string FormatFor(string destination) =>
        destination.StartsWith("rtmp", StringComparison.OrdinalIgnoreCase) ? "flv" : "mpegts";
}
