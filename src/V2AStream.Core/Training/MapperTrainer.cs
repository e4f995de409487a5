using System.Diagnostics;

namespace V2AStream.Core.Training;

/// <summary>
/// Trains the Table I mapper (V2A-SceneDetector: CLIP mean frame embedding -> CLAP audio embedding) on one or more
/// datasets: PyTorch-style initial weights, MSE, AdamW, shuffled mini-batches (the last one smaller), and after each
/// epoch the validation MSE and mean cosine on each dataset's held-out pairs (<see cref="DatasetSplit"/>). Whenever an
/// epoch is the best so far its weights are written to the output file, the mlp mapper file the engine loads, so
/// the file on disk is always the best epoch, even when the run is cancelled. Everything is seeded by
/// <see cref="TrainingOptions.Seed"/>, and no result depends on the thread count: the same data and options give the same file.
/// </summary>
public sealed class MapperTrainer
{
    /// <summary>Rows per forward pass when scoring the validation pairs.</summary>
    private const int ValidationBatchRows = 256;

    private readonly TrainingOptions _options;

    public MapperTrainer(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Trains on <paramref name="datasets"/> and writes the best epoch's weights to <paramref name="outputPath"/>.</summary>
    /// <exception cref="TrainingException">The data do not fit the mapper or leave nothing to train on.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the best epoch so far is on disk.</exception>
    public Task<TrainingResult> TrainAsync(IReadOnlyList<MapperDataset> datasets, string outputPath, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (datasets.Count == 0)
        {
            throw new TrainingException(TrainingErrorReason.NotEnoughData, "no dataset to train on: give at least one --data folder.");
        }

        foreach (var dataset in datasets)
        {
            TrainingPairs.CheckDimensions(dataset);
        }

        // CPU-bound for minutes: off the caller's thread, so a progress display keeps drawing.
        return Task.Run(() => Train(datasets, Path.GetFullPath(outputPath), progress, cancellationToken), cancellationToken);
    }

    private TrainingResult Train(IReadOnlyList<MapperDataset> datasets, string outputPath, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var splits = datasets.Select(d => DatasetSplit.Create(d, _options.ValidationFraction, _options.Seed)).ToArray();
        var training = TrainingPairs.Gather(datasets.Select((d, i) => (d, splits[i].TrainingRows)).ToArray());
        var validation = TrainingPairs.Gather(datasets.Select((d, i) => (d, splits[i].ValidationRows)).ToArray());
        if (training.Count == 0)
        {
            throw new TrainingException(TrainingErrorReason.NotEnoughData, "no pairs are left to train on: the datasets are empty.");
        }

        var random = new Random(_options.Seed);
        var batchSize = Math.Min(_options.BatchSize, training.Count);
        var learner = new MlpLearner(MlpWeights.Initialize(random), _options, Math.Max(batchSize, Math.Min(ValidationBatchRows, Math.Max(1, validation.Count))));
        var order = Enumerable.Range(0, training.Count).ToArray();
        var batchInputs = new float[batchSize * TrainingPairs.InputDimension];
        var batchTargets = new float[batchSize * TrainingPairs.TargetDimension];
        var stepsPerEpoch = (training.Count + batchSize - 1) / batchSize;
        var reports = new List<EpochReport>();
        EpochReport? last = null;
        var bestScore = double.PositiveInfinity;
        var bestEpoch = 0;
        MlpWeights? best = null;
        for (var epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var epochStarted = Stopwatch.GetTimestamp();
            random.Shuffle(order);
            var lossSum = 0.0;
            for (var step = 0; step < stepsPerEpoch; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var first = step * batchSize;
                var rows = Math.Min(batchSize, training.Count - first);
                for (var r = 0; r < rows; r++)
                {
                    var pair = order[first + r];
                    training.Inputs.AsSpan(pair * TrainingPairs.InputDimension, TrainingPairs.InputDimension).CopyTo(batchInputs.AsSpan(r * TrainingPairs.InputDimension));
                    training.Targets.AsSpan(pair * TrainingPairs.TargetDimension, TrainingPairs.TargetDimension).CopyTo(batchTargets.AsSpan(r * TrainingPairs.TargetDimension));
                }

                var loss = learner.Step(batchInputs, batchTargets, rows);
                if (!double.IsFinite(loss))
                {
                    throw new TrainingException(TrainingErrorReason.InvalidOptions, $"the loss became {loss} in epoch {epoch}: lower the learning rate (--lr).");
                }

                lossSum += loss * rows;
                progress?.Report(new TrainingProgress(epoch, _options.Epochs, step + 1, stepsPerEpoch, last));
            }

            var metrics = validation.Count > 0 ? Score(learner.Predict(validation.Inputs, validation.Count), validation, retrieval: false) : null;
            var trainingLoss = lossSum / training.Count;
            var score = metrics?.Mse ?? trainingLoss;
            var isBest = score < bestScore;
            if (isBest)
            {
                bestScore = score;
                bestEpoch = epoch;
                best = learner.Weights.Clone();
                best.Save(outputPath, Record(datasets, epoch, metrics).ToMetadata());
            }

            last = new EpochReport(epoch, trainingLoss, metrics, isBest, Stopwatch.GetElapsedTime(epochStarted).TotalSeconds);
            reports.Add(last);
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, stepsPerEpoch, stepsPerEpoch, last));
        }

        MappingMetrics? bestValidation = null;
        if (validation.Count > 0)
        {
            var network = new MlpNetwork(ValidationBatchRows, _options.Threads);
            network.Load(best!);
            bestValidation = Score(network.Predict(validation.Inputs, validation.Count), validation, retrieval: true);
        }

        return new TrainingResult(
            reports,
            bestEpoch,
            bestValidation,
            training.Count,
            validation.Count,
            splits.All(s => s.ByVideo),
            outputPath,
            Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private MappingMetrics Score(float[] outputs, TrainingPairs pairs, bool retrieval) =>
        MappingMetrics.Compute(outputs, pairs.Targets, pairs.Count, TrainingPairs.TargetDimension, retrieval, _options.Threads);

    private MapperTrainingRecord Record(IReadOnlyList<MapperDataset> datasets, int epoch, MappingMetrics? validation) => new(
        _options.Seed,
        _options.ValidationFraction,
        datasets.Select(d => new TrainedDataset(d.Fingerprint, d.Count, d.Directory)).ToArray(),
        epoch,
        _options.Epochs,
        _options.LearningRate,
        _options.BatchSize,
        validation?.Mse,
        validation?.MeanCosine);
}
