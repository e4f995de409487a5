namespace V2AStream.Daemon;

/// <summary>Counts running streams against the configured maximum. Thread-safe.</summary>
internal sealed class StreamLimiter(int maxStreams)
{
    private int _active;

    public int MaxStreams => maxStreams;

    public int Active => Volatile.Read(ref _active);

    /// <summary>A lease for one stream, or null when <see cref="MaxStreams"/> are running.</summary>
    public IDisposable? TryAcquire()
    {
        if (Interlocked.Increment(ref _active) > maxStreams)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }

        return new Lease(this);
    }

    private sealed class Lease(StreamLimiter owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._active);
            }
        }
    }
}
