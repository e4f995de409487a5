using V2AStream.Protos.V1;

using V2AStream.Client;

namespace V2AStream.Soak;

/// <summary>One soak stream: where it sends, what, and for how long.</summary>
internal sealed record SoakStreamOptions
{
    public required Uri Server { get; init; }

    public string? Token { get; init; }

    public required StreamConfig Config { get; init; }

    public required string SourcePath { get; init; }

    /// <summary>The source's media duration; the input is paced over it when <see cref="Realtime"/>.</summary>
    public required TimeSpan SourceDuration { get; init; }

    /// <summary>Where media time lives in the source's bytes; null assumes an even spread.</summary>
    public MediaByteIndex? ByteIndex { get; init; }

    public bool Realtime { get; init; } = true;

    /// <summary>Sessions start while less than this has passed; the last one runs to the end of the source.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>A broken call is followed by a new one from the live position (<see cref="ReconnectingStream.DefaultPolicy"/>); else it ends the stream.</summary>
    public bool Reconnect { get; init; }

    /// <summary>Audio a client buffers before it starts playing; 0 counts every late chunk as an underrun.</summary>
    public double JitterBufferSeconds { get; init; }
}
