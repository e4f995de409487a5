using V2AStream.Core.Pipeline;

namespace V2AStream.Running;

/// <summary>What an in-process run produced: its scenes, its summary, each chunk's latency in seconds, and the sample frames written (at the output rate).</summary>
internal sealed record LocalRunResult(IReadOnlyList<SceneUpdate> Scenes, PipelineSummary Summary, LatencyStatistics ChunkLatency, TimeSpan TimeToFirstAudio, long FramesWritten);
