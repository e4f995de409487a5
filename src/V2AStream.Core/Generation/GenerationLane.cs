namespace V2AStream.Core.Generation;

/// <summary>
/// One stream's place in a <see cref="GenerationScheduler"/>: its queued blocks, in submission order, at one
/// <see cref="Priority"/>. Disposing it (when the stream ends, however it ends) cancels what is still queued and waits
/// for every run that holds one of its blocks, so no model run outlives the stream. Submit from one thread at a time.
/// </summary>
public sealed class GenerationLane : IAsyncDisposable
{
    private readonly GenerationScheduler _scheduler;

    internal GenerationLane(GenerationScheduler scheduler, GenerationPriority priority)
    {
        _scheduler = scheduler;
        Priority = priority;
    }

    public GenerationPriority Priority { get; }

    /// <summary>Jobs waiting for a run (the scheduler's lock guards it).</summary>
    internal List<GenerationJob> Queued { get; } = [];

    /// <summary>Runs under way that hold a job of this lane (the scheduler's lock guards it).</summary>
    internal HashSet<GenerationScheduler.Run> Runs { get; } = [];

    internal bool Closed { get; set; }

    /// <summary>
    /// Queues <paramref name="request"/>; it runs once <paramref name="after"/> (a job of this lane) has succeeded, or as
    /// soon as the scheduler reaches it. Throws <see cref="ArgumentException"/> for a condition the generator cannot
    /// take, <see cref="ObjectDisposedException"/> once the lane is disposed.
    /// </summary>
    public GenerationJob Submit(BlockRequest request, GenerationJob? after = null) => _scheduler.Submit(this, request, after);

    public ValueTask DisposeAsync() => _scheduler.CloseAsync(this);
}
