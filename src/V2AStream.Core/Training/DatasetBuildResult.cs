namespace V2AStream.Core.Training;

/// <summary>What a dataset build wrote.</summary>
/// <param name="Directory">The dataset folder.</param>
/// <param name="Dataset">The dataset written there, or null when no video gave a segment (nothing was written).</param>
/// <param name="Videos">The videos asked for.</param>
/// <param name="Resumed">Videos found done in the journal and not read again.</param>
/// <param name="Skipped">The videos that gave no rows, and why.</param>
public sealed record DatasetBuildResult(string Directory, MapperDataset? Dataset, int Videos, int Resumed, IReadOnlyList<DatasetSkip> Skipped);
