namespace V2AStream.Core.Pipeline;

/// <summary>The last event of a stream that ended normally.</summary>
/// <param name="RealTimeFactor">Media seconds processed per wall-clock second.</param>
public sealed record PipelineSummary(long Frames, int Scenes, long Blocks, long Samples, int SampleRate, double MediaSeconds, double WallSeconds, double RealTimeFactor) : PipelineEvent;
