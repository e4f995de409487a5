namespace V2AStream.Core.Embedding;

/// <summary>How embedders are built from a model set.</summary>
public sealed record FrameEmbedderOptions
{
    /// <summary>ORT intra-op threads per ONNX embedder (0: ORT's default, one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>The most frames per ONNX run (the model's own fixed batch size wins when it has one).</summary>
    public int MaxBatchSize { get; init; } = 8;
}
