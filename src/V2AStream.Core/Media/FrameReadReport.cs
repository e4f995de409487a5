namespace V2AStream.Core.Media;

/// <summary>
/// What a <see cref="FrameReader"/> noticed about its input while reading it: the timestamp jumps it made into new
/// segments of the media clock instead of filling them. Thread-safe: the reader writes while the pipeline reads.
/// </summary>
public sealed class FrameReadReport
{
    private int _discontinuities;

    /// <summary>Jumps larger than <see cref="FrameReaderOptions.MaxTimestampGap"/> (forward, backward, wraps) seen so far.</summary>
    public int TimestampDiscontinuities => Volatile.Read(ref _discontinuities);

    internal void OnTimestampDiscontinuity() => Interlocked.Increment(ref _discontinuities);
}
