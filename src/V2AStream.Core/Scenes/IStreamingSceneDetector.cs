namespace V2AStream.Core.Scenes;

/// <summary>
/// A scene detector that sees a stream one frame at a time: <see cref="Push"/> each sampled frame's embedding and get the
/// cut events it settles, <see cref="Complete"/> at the end. It declares its lookahead: once frame f has been pushed,
/// every cut at or before frame f - <see cref="LookaheadFrames"/> is final, so audio before that frame may be released.
/// <see cref="SceneTracker"/> turns its events into scenes. Not thread-safe: one stream, one instance.
/// </summary>
public interface IStreamingSceneDetector
{
    /// <summary>The embedding length every <see cref="Push"/> must have.</summary>
    int Dimension { get; }

    /// <summary>Frames seen after a boundary before the decision on it is final.</summary>
    int LookaheadFrames { get; }

    /// <summary>Frames pushed so far.</summary>
    int FrameCount { get; }

    /// <summary>Adds the next frame's embedding (copied) and returns the events it settles, in frame order.</summary>
    IReadOnlyList<SceneCutEvent> Push(ReadOnlySpan<float> embedding);

    /// <summary>Ends the stream: decides what the lookahead still held and returns those events. Idempotent.</summary>
    IReadOnlyList<SceneCutEvent> Complete();
}
