namespace V2AStream.Core.Generation;

/// <summary>
/// How a model set's <see cref="GenerationScheduler"/> shares its generator between streams. Validate at the edge
/// (<see cref="Validate"/>); the scheduler trusts them.
/// </summary>
public sealed record GenerationSchedulerOptions
{
    /// <summary>
    /// Generator runs at once, over all streams of the set. One keeps a CPU from being split between runs that each ask
    /// ONNX Runtime for every core (a run of AudioLDM already uses them all); two lets a short LIVE run start while a
    /// long one is under way, at the cost of both running slower.
    /// </summary>
    public int MaxConcurrentRuns { get; init; } = 1;

    /// <summary>
    /// The most blocks in one run (the generator's batch): blocks of the same priority and multiple that are ready
    /// together, from any streams. 1 turns batching off.
    /// </summary>
    public int MaxBatchBlocks { get; init; } = 4;

    /// <summary>
    /// How long a QUALITY batch that is not full waits for the blocks of other QUALITY streams that have none ready yet,
    /// from the moment its oldest block became ready: a few milliseconds against the seconds a block takes to generate. A
    /// stream alone, or streams that all have blocks ready, never wait; LIVE batches never wait (LIVE blocks come at the
    /// pace of the video, seldom within milliseconds of each other, and a listener is waiting).
    /// </summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// The most blocks in a QUALITY run while any LIVE stream is open. A run is not interrupted, so a LIVE block that
    /// arrives during a QUALITY run waits for all of it: on a CPU a run of n blocks takes about n times one block's time
    /// (bench/README.md, "Generation scheduler"), so the default keeps that wait to one block. Raise it on a GPU, where a
    /// batch costs little more than one block.
    /// </summary>
    public int MaxQualityBatchWhileLive { get; init; } = 1;

    /// <summary>
    /// LIVE runs in a row while a QUALITY block waits before one QUALITY run goes anyway, so QUALITY streams are slowed
    /// by LIVE ones but never starved.
    /// </summary>
    public int LiveRunsBeforeQuality { get; init; } = 3;

    /// <summary>One line per invalid value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxConcurrentRuns is < 1 or > 64)
        {
            problems.Add($"generation max concurrent runs {MaxConcurrentRuns} must be between 1 and 64.");
        }

        if (MaxBatchBlocks is < 1 or > 64)
        {
            problems.Add($"generation max batch {MaxBatchBlocks} must be between 1 and 64 blocks.");
        }

        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            problems.Add($"generation max batch wait {MaxBatchWait.TotalMilliseconds} ms must be between 0 and 1000.");
        }

        if (MaxQualityBatchWhileLive is < 1 or > 64)
        {
            problems.Add($"generation max quality batch while live {MaxQualityBatchWhileLive} must be between 1 and 64 blocks.");
        }

        if (LiveRunsBeforeQuality is < 1 or > 1000)
        {
            problems.Add($"generation live runs before quality {LiveRunsBeforeQuality} must be between 1 and 1000.");
        }

        return problems;
    }
}
