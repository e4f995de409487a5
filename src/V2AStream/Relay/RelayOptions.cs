using V2AStream.Core.Relay;
using V2AStream.Protos.V1;

namespace V2AStream.Relay;

/// <summary>What <c>v2a relay</c> was asked to do, validated by the command.</summary>
internal sealed record RelayOptions
{
    /// <summary>The live stream to read (rtmp, srt, rtsp, http/hls, udp...).</summary>
    public required string Source { get; init; }

    /// <summary>Where the video and its sound are published.</summary>
    public required MuxingPublisherOptions Publisher { get; init; }

    /// <summary>The daemon that makes the sound; null runs one in this process.</summary>
    public Uri? Server { get; init; }

    public string? Token { get; init; }

    /// <summary>The model set: on the daemon (empty: its default), or the one this process loads.</summary>
    public string? ModelSet { get; init; }

    public GenerationMode Mode { get; init; } = GenerationMode.Live;

    public ulong Seed { get; init; }

    /// <summary>How long the source may stay away (or fail to open) before the relay stops.</summary>
    public TimeSpan ReconnectWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A source connection that sends nothing for this long is dropped and opened again.</summary>
    public TimeSpan SourceStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sound that lags the video by more than this is given up as silence, so the publisher never holds video longer
    /// (ffmpeg would stop waiting for the sound after 10 s and interleave badly).
    /// </summary>
    public TimeSpan MaxSoundLag { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How often the status line is printed; zero prints none.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The config of every Generate call the relay makes: live MPEG-TS in, 16-bit PCM at the publisher's rate out.</summary>
    public StreamConfig StreamConfig(string requestId) => new()
    {
        RequestId = requestId,
        Realtime = true,
        Input = new InputConfig { Format = "mpegts" },
        Output = new OutputConfig { Encoding = AudioEncoding.PcmS16Le, SampleRate = (uint)Publisher.SampleRate, Channels = (uint)Publisher.Channels, ChunkDurationMs = 100 },
        Generation = new GenerationConfig { ModelSet = ModelSet ?? string.Empty, Mode = Mode, Seed = Seed },
    };
}
