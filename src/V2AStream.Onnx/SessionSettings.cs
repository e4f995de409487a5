using Microsoft.ML.OnnxRuntime;

namespace V2AStream.Onnx;

/// <summary>
/// How one model's session is tuned on whatever device its <see cref="OrtSessionFactory"/> runs. The defaults are
/// ORT's own: all threads, all graph optimizations, the CPU arena on, spinning on.
/// </summary>
public sealed record SessionSettings
{
    public static SessionSettings Default { get; } = new();

    /// <summary>Threads inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>ORT's CPU memory arena: faster repeated runs, memory kept until the session is disposed.</summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>Whether idle worker threads spin before sleeping. Spinning lowers latency of back-to-back runs
    /// but burns cores that other streams could use; turn it off when several sessions share few cores.</summary>
    public bool AllowSpinning { get; init; } = true;
}
