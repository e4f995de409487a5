using V2AStream.Client;

namespace V2AStream.Soak;

/// <summary>A broken call of a soak stream, and when (seconds since the soak began) a new call's audio went on; NaN when none did.</summary>
internal sealed record SoakInterruption(StreamInterruption Interruption, double ResumedAtSeconds);
