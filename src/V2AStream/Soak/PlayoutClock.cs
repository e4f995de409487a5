namespace V2AStream.Soak;

/// <summary>
/// A client's playout clock, to count underruns: playback starts when the first chunk arrives (plus an
/// optional jitter buffer) and then needs the audio at media position p at start + p. A chunk that
/// arrives after the moment its first sample is needed is an underrun; like a real player, the clock
/// then stalls until the chunk is there, so one late chunk is counted once, not again for every chunk
/// behind it. Times are seconds on any monotonic clock. Not thread-safe.
/// </summary>
internal sealed class PlayoutClock(double jitterBufferSeconds = 0)
{
    private double? _playoutOrigin;
    private double _lastStart = double.NegativeInfinity;

    /// <summary>Chunks that arrived after their audio was due (the first chunk never counts).</summary>
    public int Underruns { get; private set; }

    /// <summary>Total time playback stood still waiting for audio.</summary>
    public double StallSeconds { get; private set; }

    /// <summary>Arrival of the first chunk; null before it.</summary>
    public double? FirstArrival { get; private set; }

    /// <summary>
    /// A chunk covering media from <paramref name="mediaStartSeconds"/> arrived at <paramref name="arrivalSeconds"/>.
    /// Chunks must come in media order. Returns whether it was an underrun.
    /// </summary>
    public bool OnChunk(double mediaStartSeconds, double arrivalSeconds)
    {
        if (mediaStartSeconds < _lastStart)
        {
            throw new ArgumentException($"Chunks must come in media order: {mediaStartSeconds} s after {_lastStart} s.", nameof(mediaStartSeconds));
        }

        _lastStart = mediaStartSeconds;
        if (_playoutOrigin is null)
        {
            FirstArrival = arrivalSeconds;
            _playoutOrigin = arrivalSeconds + jitterBufferSeconds - mediaStartSeconds;
            return false;
        }

        var due = _playoutOrigin.Value + mediaStartSeconds;
        if (arrivalSeconds <= due)
        {
            return false;
        }

        var stall = arrivalSeconds - due;
        StallSeconds += stall;
        _playoutOrigin += stall;
        Underruns++;
        return true;
    }
}
