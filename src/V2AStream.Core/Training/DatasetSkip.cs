namespace V2AStream.Core.Training;

/// <summary>A video that gave no rows to a mapper dataset, and why (no audio track, unreadable, no segment long enough).</summary>
public sealed record DatasetSkip(string Video, string Reason);
