namespace V2AStream.Soak;

/// <summary>
/// One audio chunk as the soak client saw it: its stream and session (from 1), the media time it starts at, its
/// arrival (seconds since the soak began), its latency in seconds, and whether the player had to wait for it.
/// </summary>
internal readonly record struct SoakChunk(int Stream, int Session, double MediaStartSeconds, double ArrivalSeconds, double LatencySeconds, bool Underrun);
