namespace V2AStream.Core.Pipeline;

/// <summary>
/// Keeps a LIVE stream's audio on a steady schedule. Frames leave ffmpeg with a tenth of a second or more of
/// jitter (B-frame reordering, the source's packet timing, four streams on two cores), so chunks sent the moment
/// they are ready arrive unevenly, and a player that starts playing with the first one stalls at each later one
/// that took longer. The pacer holds the chunk ending at media time e until origin + d(e) + jitter buffer, where
/// d(e) is the media time of the frame whose arrival decides the audio up to e (the detector's lookahead), and
/// origin is the wall time media time 0 would have arrived at on the least-delayed frame so far. A chunk that is
/// ready later than that moves the schedule back by its lateness, as a player's clock would, so one slow moment
/// costs one stall, not one at every chunk behind it. Used by the stitch stage only; not thread-safe.
/// </summary>
internal sealed class LiveOutputPacer
{
    private readonly FrameArrivals _arrivals;
    private readonly double _sampleFps;
    private readonly int _lookaheadFrames;
    private readonly int _sampleRate;
    private readonly TimeSpan _jitterBuffer;
    private readonly TimeProvider _time;
    private long _framesSeen;
    private double? _originSeconds;

    public LiveOutputPacer(FrameArrivals arrivals, double sampleFps, int lookaheadFrames, int sampleRate, TimeSpan jitterBuffer, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleFps);
        ArgumentOutOfRangeException.ThrowIfNegative(lookaheadFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitterBuffer, TimeSpan.Zero);
        _arrivals = arrivals;
        _sampleFps = sampleFps;
        _lookaheadFrames = lookaheadFrames;
        _sampleRate = sampleRate;
        _jitterBuffer = jitterBuffer;
        _time = time;
    }

    /// <summary>How long the chunk ending at <paramref name="endSample"/> must wait before it leaves; zero when it is due or late.</summary>
    public TimeSpan HoldFor(long endSample)
    {
        UpdateOrigin();
        if (_originSeconds is not { } origin)
        {
            return TimeSpan.Zero;
        }

        var decidingFrame = Math.Ceiling(endSample * _sampleFps / _sampleRate) + Math.Max(0, _lookaheadFrames - 1);
        var due = origin + (decidingFrame / _sampleFps) + _jitterBuffer.TotalSeconds;
        var now = Seconds(_time.GetTimestamp());
        if (now >= due)
        {
            _originSeconds = origin + (now - due);
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(due - now);
    }

    private void UpdateOrigin()
    {
        var count = _arrivals.Count;
        for (var frame = Math.Max(_framesSeen, count - FrameArrivals.Capacity); frame < count; frame++)
        {
            var offset = Seconds(_arrivals.ArrivalOf(frame)) - (frame / _sampleFps);
            _originSeconds = _originSeconds is { } origin ? Math.Min(origin, offset) : offset;
        }

        _framesSeen = count;
    }

    private double Seconds(long timestamp) => (double)timestamp / _time.TimestampFrequency;
}
