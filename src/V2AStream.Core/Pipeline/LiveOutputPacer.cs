namespace V2AStream.Core.Pipeline;

/// <summary>
/// Protects a LIVE stream's listener from jitter. A player that starts playing when the first chunk arrives (ffplay,
/// a sound card's buffer, a media server's muxer) then needs media time p at start + p; a chunk is ready when the
/// frame a lookahead past its end leaves ffmpeg, and frames leave with a tenth of a second or more of jitter (B-frame
/// reordering, the source's packet timing, four streams on two cores), so if the first chunk goes out the moment it
/// is ready, every later chunk that took longer stalls the player. The pacer therefore holds the first chunk until
/// origin + d(e) + jitter buffer, where d(e) is the media time of the frame whose arrival decides the audio up to the
/// chunk's end e, and origin is the wall time media time 0 would have arrived at on the least-delayed frame so far:
/// the player's clock starts that far behind the earliest possible schedule. Later chunks go out as soon as they are
/// ready, since arriving early costs a player nothing. The pacer keeps the same model of the player's clock; a chunk
/// that is late for it anyway (the player has stalled) is held one jitter buffer more, as a player rebuffers, so the
/// chunks behind it get the same margin again. Used by the stitch stage only; not thread-safe.
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
    private double? _playerOriginSeconds;

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

    /// <summary>How long the chunk [<paramref name="startSample"/>, <paramref name="endSample"/>) waits before it leaves; the caller then sends it.</summary>
    public TimeSpan HoldFor(long startSample, long endSample)
    {
        UpdateOrigin();
        var now = Seconds(_time.GetTimestamp());
        var start = (double)startSample / _sampleRate;
        if (_playerOriginSeconds is { } player)
        {
            if (now <= player + start)
            {
                return TimeSpan.Zero;
            }

            _playerOriginSeconds = now + _jitterBuffer.TotalSeconds - start;
            return _jitterBuffer;
        }

        var departure = now;
        if (_originSeconds is { } origin)
        {
            var decidingFrame = Math.Ceiling(endSample * _sampleFps / _sampleRate) + Math.Max(0, _lookaheadFrames - 1);
            departure = Math.Max(now, origin + (decidingFrame / _sampleFps) + _jitterBuffer.TotalSeconds);
        }

        _playerOriginSeconds = departure - start;
        return TimeSpan.FromSeconds(departure - now);
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
