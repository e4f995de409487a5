namespace V2AStream.Core.Training;

/// <summary>
/// One finished epoch: its number (from 1), the mean training loss over its pairs, the validation metrics (null
/// without a validation split), whether it is the best so far (and so the one saved), and its wall time.
/// </summary>
public sealed record EpochReport(int Epoch, double TrainingLoss, MappingMetrics? Validation, bool Best, double Seconds);
