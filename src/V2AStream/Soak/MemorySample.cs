namespace V2AStream.Soak;

/// <summary>The daemon's memory at one moment: seconds since the soak began; NaN where a figure was not available.</summary>
internal readonly record struct MemorySample(double Seconds, double RssBytes, double HeapBytes);
