namespace V2AStream.Core.Generation;

/// <summary>One block to generate: its condition, its multiple k (2.56·k s of audio) and its noise seed.</summary>
public sealed record BlockRequest(ReadOnlyMemory<float> Condition, int Multiple, long Seed);
