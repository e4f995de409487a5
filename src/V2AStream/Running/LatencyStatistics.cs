namespace V2AStream.Running;

/// <summary>
/// Exact percentiles of a set of latencies (seconds): every sample is kept, which a soak of a few
/// streams for minutes (thousands of chunks) affords. Percentiles use the nearest-rank method, so a
/// reported p99 is a latency that really happened. Not thread-safe.
/// </summary>
internal sealed class LatencyStatistics
{
    private readonly List<double> _samples = [];
    private bool _sorted = true;

    public int Count => _samples.Count;

    public void Add(double seconds)
    {
        if (double.IsNaN(seconds))
        {
            throw new ArgumentException("A latency must be a number.", nameof(seconds));
        }

        if (_samples.Count > 0 && seconds < _samples[^1])
        {
            _sorted = false;
        }

        _samples.Add(seconds);
    }

    public void AddRange(LatencyStatistics other)
    {
        foreach (var sample in other._samples)
        {
            Add(sample);
        }
    }

    /// <summary>The nearest-rank <paramref name="percent"/>th percentile (0 &lt; percent &lt;= 100), or NaN when empty.</summary>
    public double Percentile(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (_samples.Count == 0)
        {
            return double.NaN;
        }

        EnsureSorted();
        var rank = (int)Math.Ceiling(percent / 100 * _samples.Count);
        return _samples[Math.Clamp(rank, 1, _samples.Count) - 1];
    }

    public double Max => _samples.Count == 0 ? double.NaN : Percentile(100);

    public double Mean => _samples.Count == 0 ? double.NaN : _samples.Average();

    private void EnsureSorted()
    {
        if (!_sorted)
        {
            _samples.Sort();
            _sorted = true;
        }
    }
}
