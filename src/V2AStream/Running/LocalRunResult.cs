using V2AStream.Core.Pipeline;

namespace V2AStream.Running;

/// <summary>What an in-process run produced: its scenes, its summary, and each chunk's latency in seconds.</summary>
internal sealed record LocalRunResult(IReadOnlyList<SceneUpdate> Scenes, PipelineSummary Summary, LatencyStatistics ChunkLatency, TimeSpan TimeToFirstAudio);
