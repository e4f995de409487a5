namespace V2AStream.Core.Training;

/// <summary>
/// A mapper scored on a dataset: the metrics (with top-1 retrieval), whether only the dataset's held-out split was
/// scored (it trained the mapper) or all of it (it did not), the dataset's size, and the mapper's training record
/// when the file has one.
/// </summary>
public sealed record MapperEvaluation(MappingMetrics Metrics, bool HeldOutSplitOnly, int DatasetPairs, MapperTrainingRecord? Training);
