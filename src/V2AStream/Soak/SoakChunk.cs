namespace V2AStream.Soak;

/// <summary>One audio chunk as the soak client saw it: arrival (seconds since the soak began) and latency, seconds.</summary>
internal readonly record struct SoakChunk(int Stream, double ArrivalSeconds, double LatencySeconds);
