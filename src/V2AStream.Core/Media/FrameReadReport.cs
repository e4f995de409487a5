namespace V2AStream.Core.Media;

/// <summary>
/// What a <see cref="FrameReader"/> noticed about its input while reading it: the timestamp jumps it made into new
/// segments of the media clock instead of filling them, and the probes it had to grow. Thread-safe: the reader writes while the pipeline reads.
/// </summary>
public sealed class FrameReadReport
{
    private int _discontinuities;
    private int _probeRetries;

    /// <summary>Jumps larger than <see cref="FrameReaderOptions.MaxTimestampGap"/> (forward, backward, wraps) seen so far.</summary>
    public int TimestampDiscontinuities => Volatile.Read(ref _discontinuities);

    /// <summary>
    /// Times ffmpeg was started again with a larger probe because it could not identify the input's streams within the
    /// smaller one (<see cref="FrameReaderOptions.LiveProbeSizeBytes"/>).
    /// </summary>
    public int ProbeRetries => Volatile.Read(ref _probeRetries);

    internal void OnProbeGrown() => Interlocked.Increment(ref _probeRetries);

    internal void OnTimestampDiscontinuity() => Interlocked.Increment(ref _discontinuities);
}
