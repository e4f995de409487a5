namespace V2AStream.Core.Pipeline;

/// <summary>The last event of a stream that ended normally.</summary>
/// <param name="RealTimeFactor">Media seconds processed per wall-clock second.</param>
/// <param name="TimestampDiscontinuities">Jumps in the input's timestamps that started a new segment of the media clock (not filled).</param>
/// <param name="InputEndedEarly">Why the input ended early (truncated, or damaged past reading), when it did: the audio covers what decoded.</param>
public sealed record PipelineSummary(
    long Frames,
    int Scenes,
    long Blocks,
    long Samples,
    int SampleRate,
    double MediaSeconds,
    double WallSeconds,
    double RealTimeFactor,
    int TimestampDiscontinuities = 0,
    string? InputEndedEarly = null) : PipelineEvent;
