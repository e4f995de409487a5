using V2AStream.Core.Generation;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;

namespace V2AStream.Core.Models;

/// <summary>How a <see cref="ModelSetLoader"/> builds sets: where their ONNX models run and how, and how each set's generator is shared.</summary>
public sealed record ModelSetLoaderOptions
{
    /// <summary>Where every ONNX model of every set runs (<c>--device</c>, <c>Daemon:Device</c>).</summary>
    public OrtDevice Device { get; init; } = OrtDevice.Cpu;

    /// <summary>How every ONNX session is tuned (threads, arena, spinning).</summary>
    public SessionSettings SessionSettings { get; init; } = SessionSettings.Default;

    /// <summary>The generation scheduler of each loaded set.</summary>
    public GenerationSchedulerOptions Generation { get; init; } = new();

    /// <summary>Where each set's scheduler reports its runs; null drops them.</summary>
    public IPipelineMetrics? Metrics { get; init; }
}
