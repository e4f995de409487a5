namespace V2AStream.Relay;

/// <summary>
/// When the relay read each recent video frame (by its sample frame on the sound's clock), so the sound placed for a
/// time can be measured against the arrival of the video it belongs to. Keeps the newest frames only. Thread-safe.
/// </summary>
internal sealed class VideoArrivals
{
    private const int Capacity = 4096;
    private readonly List<(long Frame, long Timestamp)> _arrivals = [];
    private readonly Lock _lock = new();

    public void Record(long frame, long timestamp)
    {
        lock (_lock)
        {
            if (_arrivals.Count == Capacity)
            {
                _arrivals.RemoveRange(0, Capacity / 2);
            }

            _arrivals.Add((frame, timestamp));
        }
    }

    /// <summary>The arrival of the video frame on screen at <paramref name="frame"/> (the last one starting at or before it); null when none.</summary>
    public long? ArrivalOfFrameAt(long frame)
    {
        lock (_lock)
        {
            var low = 0;
            var high = _arrivals.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_arrivals[middle].Frame <= frame)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low > 0 ? _arrivals[low - 1].Timestamp : null;
        }
    }
}
