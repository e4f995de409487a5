using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;

namespace V2AStream.Daemon;

/// <summary>
/// A stream's validated settings, in engine terms: what <see cref="StreamConfigTranslator"/> makes of a StreamConfig.
/// <paramref name="RawInput"/> is set when the client sends decoded frames (RawFrame) instead of container bytes.
/// </summary>
internal sealed record StreamSettings(
    string RequestId,
    string ModelSet,
    PipelineOptions Pipeline,
    SceneDetectorOptions Detector,
    AudioOutputFormat Output,
    string? InputFormat,
    bool Realtime,
    RawVideoFormat? RawInput = null);
