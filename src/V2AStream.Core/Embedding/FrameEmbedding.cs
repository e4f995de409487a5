namespace V2AStream.Core.Embedding;

/// <summary>The embedding of sampled frame <paramref name="Index"/> at media time <paramref name="TimeSeconds"/>.</summary>
public sealed record FrameEmbedding(int Index, double TimeSeconds, float[] Vector);
