namespace V2AStream.Onnx;

/// <summary>How a session is built. The defaults match ORT's own: all threads, all optimizations, arena on, CPU.</summary>
public sealed record InferenceSessionOptions
{
    /// <summary>Threads inside one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>ORT's CPU memory arena: faster repeated runs, memory kept until the session is disposed.</summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>Whether idle worker threads spin before sleeping. Spinning lowers latency of back-to-back runs
    /// but burns cores that other streams could use; turn it off when several sessions share few cores.</summary>
    public bool AllowSpinning { get; init; } = true;

    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>The GPU to use with <see cref="ExecutionProvider.Cuda"/>.</summary>
    public int CudaDeviceId { get; init; }
}
