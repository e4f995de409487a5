namespace V2AStream.Core.Scenes;

/// <summary>One event from <see cref="IncrementalSceneDetector"/>: a provisional, final or withdrawn cut.</summary>
public readonly record struct SceneCutEvent(SceneCutEventKind Kind, SceneCut Cut);
