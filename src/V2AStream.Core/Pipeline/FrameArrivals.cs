namespace V2AStream.Core.Pipeline;

/// <summary>
/// When each recent frame reached the pipeline (a Stopwatch-style timestamp from the pipeline's
/// <see cref="TimeProvider"/>), so a chunk's latency can be measured from the arrival of the frame at its end.
/// Keeps the newest <see cref="Capacity"/> frames. Thread-safe: ingest writes, the stitch stage reads.
/// </summary>
internal sealed class FrameArrivals
{
    public const int Capacity = 16384;

    private readonly long[] _timestamps = new long[Capacity];
    private readonly Lock _lock = new();
    private long _count;

    /// <summary>Frames recorded: one past the highest index.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Record(int frameIndex, long timestamp)
    {
        lock (_lock)
        {
            _timestamps[frameIndex % Capacity] = timestamp;
            _count = Math.Max(_count, frameIndex + 1L);
        }
    }

    /// <summary>The arrival of frame <paramref name="frameIndex"/>, or of the nearest frame still known.</summary>
    public long ArrivalOf(long frameIndex)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return 0;
            }

            var clamped = Math.Clamp(frameIndex, Math.Max(0, _count - Capacity), _count - 1);
            return _timestamps[clamped % Capacity];
        }
    }
}
