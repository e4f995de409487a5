namespace V2AStream.Core.Training;

/// <summary>
/// A finished training run: every epoch, the best one (lowest validation MSE, or training loss without validation),
/// its validation metrics with top-1 retrieval, how many pairs trained and were held out, and where the best
/// weights were written.
/// </summary>
public sealed record TrainingResult(
    IReadOnlyList<EpochReport> Epochs,
    int BestEpoch,
    MappingMetrics? BestValidation,
    int TrainingPairs,
    int ValidationPairs,
    bool SplitByVideo,
    string OutputPath,
    double Seconds);
