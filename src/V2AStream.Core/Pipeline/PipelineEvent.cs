namespace V2AStream.Core.Pipeline;

/// <summary>What a running pipeline reports, in order: audio, scenes, progress, and a summary last.</summary>
public abstract record PipelineEvent;
