namespace V2AStream.Core.Pipeline;

/// <summary>How far the stream has come: frames ingested, their media time, blocks generated.</summary>
public sealed record PipelineProgress(long FramesIngested, double MediaSeconds, long BlocksGenerated, long SamplesOut) : PipelineEvent;
