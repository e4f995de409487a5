namespace V2AStream.Core.Pipeline;

/// <summary>One stream's settings. Validate at the edge (<see cref="Validate"/>); the stages trust them.</summary>
public sealed record PipelineOptions
{
    public static readonly TimeSpan DefaultLiveJitterBuffer = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxLiveJitterBuffer = TimeSpan.FromSeconds(5);

    /// <summary>Frames sampled per second of media (1 to 30).</summary>
    public double SampleFps { get; init; } = 4;

    public GenerationMode Mode { get; init; } = GenerationMode.Quality;

    /// <summary>k: blocks of 2.5·k s.</summary>
    public int BlockMultiple { get; init; } = 1;

    /// <summary>Crossfade at a scene cut, in milliseconds.</summary>
    public double CutCrossfadeMilliseconds { get; init; } = 120;

    /// <summary>The stream's seed; each block's seed is derived from it, its scene and its position.</summary>
    public long Seed { get; init; }

    /// <summary>Audio chunk length sent to the client, in milliseconds.</summary>
    public int ChunkMilliseconds { get; init; } = 500;

    /// <summary>
    /// Capacity of each channel between stages: small, so backpressure reaches the source. Between generation and
    /// stitching it also bounds this stream's blocks waiting in the model set's scheduler at once.
    /// </summary>
    public int ChannelCapacity { get; init; } = 8;

    /// <summary>Longest a frame waits for its batch to fill, so a live stream is never held for a full batch.</summary>
    public TimeSpan MaxEmbedWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// LIVE only: the first chunk is held this far behind the earliest moment it could be decided, so a player that
    /// starts with it is not starved by later, slower chunks; a chunk late for such a player is held this long again
    /// (<see cref="LiveOutputPacer"/>). Null sends every chunk as soon as it is ready.
    /// </summary>
    public TimeSpan? LiveJitterBuffer { get; init; } = DefaultLiveJitterBuffer;

    /// <summary>Decode for latency (no frame threading) rather than throughput: for real-time input.</summary>
    public bool LowDelayDecode { get; init; }

    public static bool IsValidLiveJitterBuffer(TimeSpan buffer) => buffer >= TimeSpan.Zero && buffer <= MaxLiveJitterBuffer;

    /// <summary>Returns one line per invalid value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SampleFps is < 1 or > 30 || double.IsNaN(SampleFps))
        {
            problems.Add($"sample_fps {SampleFps} must be between 1 and 30.");
        }

        if (BlockMultiple is < 1 or > Stitching.BlockTiming.MaxMultiple)
        {
            problems.Add($"block multiple {BlockMultiple} must be between 1 and {Stitching.BlockTiming.MaxMultiple}.");
        }

        if (CutCrossfadeMilliseconds is < 0 or > 1000 || double.IsNaN(CutCrossfadeMilliseconds))
        {
            problems.Add($"crossfade {CutCrossfadeMilliseconds} ms must be between 0 and 1000.");
        }

        if (ChunkMilliseconds is < 10 or > 10_000)
        {
            problems.Add($"chunk duration {ChunkMilliseconds} ms must be between 10 and 10000.");
        }

        if (ChannelCapacity is < 1 or > 1024)
        {
            problems.Add($"channel capacity {ChannelCapacity} must be between 1 and 1024.");
        }

        if (LiveJitterBuffer is { } buffer && !IsValidLiveJitterBuffer(buffer))
        {
            problems.Add($"live jitter buffer {buffer.TotalMilliseconds} ms must be between 0 and {MaxLiveJitterBuffer.TotalMilliseconds}.");
        }

        return problems;
    }
}
