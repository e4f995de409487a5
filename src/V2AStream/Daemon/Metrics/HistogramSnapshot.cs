namespace V2AStream.Daemon.Metrics;

/// <summary>A histogram at one moment: <paramref name="CumulativeCounts"/>[i] observations were at or below <paramref name="UpperBounds"/>[i].</summary>
internal sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> CumulativeCounts, double Sum, long Count);
