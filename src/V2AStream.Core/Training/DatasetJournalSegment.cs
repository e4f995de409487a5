namespace V2AStream.Core.Training;

/// <summary>One row of a mapper dataset as the journal keeps it: where it is in its video and both of its embeddings.</summary>
/// <param name="Clip">The mean frame embedding (a clip.npy row).</param>
/// <param name="Clap">The L2-normalized audio embedding (a clap.npy row).</param>
public sealed record DatasetJournalSegment(double StartSeconds, double EndSeconds, int SceneIndex, float[] Clip, float[] Clap);
