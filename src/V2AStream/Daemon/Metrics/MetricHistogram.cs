namespace V2AStream.Daemon.Metrics;

/// <summary>
/// A Prometheus histogram: counts of observations at or below each upper bound, plus their sum and count.
/// Thread-safe; observing takes a short lock so that a scrape sees the buckets, sum and count agree.
/// </summary>
internal sealed class MetricHistogram
{
    private readonly double[] _upperBounds;
    private readonly long[] _counts;
    private readonly Lock _lock = new();
    private double _sum;
    private long _count;

    /// <param name="upperBounds">Finite, strictly increasing bucket bounds; +Inf is implied.</param>
    public MetricHistogram(IReadOnlyList<double> upperBounds)
    {
        for (var i = 0; i < upperBounds.Count; i++)
        {
            if (!double.IsFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1]))
            {
                throw new ArgumentException("Histogram bounds must be finite and strictly increasing.", nameof(upperBounds));
            }
        }

        _upperBounds = [.. upperBounds];
        _counts = new long[_upperBounds.Length];
    }

    public void Observe(double value)
    {
        lock (_lock)
        {
            // Non-cumulative here; cumulated in the snapshot.
            var bucket = Array.BinarySearch(_upperBounds, value);
            bucket = bucket >= 0 ? bucket : ~bucket;
            if (bucket < _counts.Length)
            {
                _counts[bucket]++;
            }

            _sum += value;
            _count++;
        }
    }

    /// <summary>Cumulative counts per bound (the last, +Inf, equals the count), the sum and the count, taken together.</summary>
    public HistogramSnapshot Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_counts.Length];
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                running += _counts[i];
                cumulative[i] = running;
            }

            return new HistogramSnapshot(_upperBounds, cumulative, _sum, _count);
        }
    }
}
