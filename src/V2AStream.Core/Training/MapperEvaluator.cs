using V2AStream.Core.Mapping;

namespace V2AStream.Core.Training;

/// <summary>
/// Scores an mlp mapper file on held-out pairs of a dataset. When the file's <see cref="MapperTrainingRecord"/>
/// names the dataset (by fingerprint) only the pairs its training split held out are scored, so a mapper is never
/// graded on pairs it learned; any other dataset took no part in training and is scored whole.
/// </summary>
public static class MapperEvaluator
{
    private const int BatchRows = 256;

    /// <exception cref="TrainingException">The dataset does not fit the mapper, or all of it trained the mapper.</exception>
    /// <exception cref="Models.ModelSetException">The mapper file is missing or not a Table I mapper.</exception>
    public static Task<MapperEvaluation> EvaluateAsync(MapperDataset dataset, string mapperPath, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrEmpty(mapperPath);
        TrainingPairs.CheckDimensions(dataset);
        return Task.Run(() => Evaluate(dataset, mapperPath, threads), cancellationToken);
    }

    private static MapperEvaluation Evaluate(MapperDataset dataset, string mapperPath, int threads)
    {
        var weights = MlpWeights.Load(mapperPath);
        var record = MapperTrainingRecord.FromMetadata(SafetensorsFile.Read(mapperPath).Metadata);
        var trainedOnThis = record?.Datasets.Any(d => d.Fingerprint == dataset.Fingerprint) == true;
        IReadOnlyList<int> rows = trainedOnThis
            ? DatasetSplit.Create(dataset, record!.ValidationFraction, record.Seed).ValidationRows
            : Enumerable.Range(0, dataset.Count).ToArray();
        if (rows.Count == 0)
        {
            var why = trainedOnThis ? "every pair of it trained this mapper (no validation split)" : "it holds no pairs";
            throw new TrainingException(TrainingErrorReason.NotEnoughData, $"nothing to evaluate in {dataset.Directory ?? "the dataset"}: {why}; evaluate on another dataset.", dataset.Directory);
        }

        var pairs = TrainingPairs.Gather([(dataset, rows)]);
        var network = new MlpNetwork(Math.Min(BatchRows, pairs.Count), threads);
        network.Load(weights);
        var metrics = MappingMetrics.Compute(network.Predict(pairs.Inputs, pairs.Count), pairs.Targets, pairs.Count, TrainingPairs.TargetDimension, retrieval: true, threads);
        return new MapperEvaluation(metrics, trainedOnThis, dataset.Count, record);
    }
}
