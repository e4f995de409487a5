namespace V2AStream.Testing;

/// <summary>
/// A clock the test sets by hand (microsecond timestamps, starting at 0). Timers fire at once without moving it,
/// so a paced client sends everything at the moment the clock shows.
/// </summary>
public sealed class ScriptedTimeProvider : TimeProvider
{
    private long _microseconds;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _microseconds);

    public void Set(double seconds) => Interlocked.Exchange(ref _microseconds, (long)Math.Round(seconds * 1e6));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
