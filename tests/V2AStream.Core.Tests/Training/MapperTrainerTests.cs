using V2AStream.Core.Embedding;
using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Core.Training;
using V2AStream.Testing.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class MapperTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_LearnableData_ImprovesAndTheEngineMapsAsReported()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 600, videos: 20, seed: 1);
        var output = Path.Combine(_dir, "mapper.safetensors");

        var result = await new MapperTrainer(new TrainingOptions { Epochs = 6, LearningRate = 1e-3, Seed = 2 }).TrainAsync([dataset], output, null, CancellationToken.None);

        Assert.Equal(6, result.Epochs.Count);
        Assert.Equal((540, 60, true), (result.TrainingPairs, result.ValidationPairs, result.SplitByVideo));
        Assert.True(result.Epochs[^1].Validation!.MeanCosine > result.Epochs[0].Validation!.MeanCosine + 0.1, string.Join(", ", result.Epochs.Select(e => e.Validation!.MeanCosine)));
        Assert.True(result.Epochs[^1].TrainingLoss < result.Epochs[0].TrainingLoss);
        var best = result.Epochs[result.BestEpoch - 1];
        Assert.True(best.Best);
        Assert.Equal(best.Validation!.Mse, result.Epochs.Min(e => e.Validation!.Mse));
        Assert.Equal(best.Validation.Mse, result.BestValidation!.Mse);
        Assert.NotNull(result.BestValidation.Top1Accuracy);

        // The file is the engine's mlp mapper: over the held-out pairs its L2-normalized output has the reported mean cosine.
        var mapper = MlpMapper.Load(Path.Combine(_dir, "mapper.safetensors"));
        var split = DatasetSplit.Create(dataset, 0.1, 2);
        var cosine = split.ValidationRows.Average(row => Cosine(mapper.Map(dataset.Clip.Row(row)).Condition, dataset.Clap.Row(row)));
        Assert.Equal(result.BestValidation.MeanCosine, cosine, 1e-5);
    }

    [Fact]
    public async Task Train_SameSeed_WritesTheSameFile_WhateverTheThreadCount()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 150, videos: 3, seed: 4);
        var one = Path.Combine(_dir, "one.safetensors");
        var two = Path.Combine(_dir, "two.safetensors");

        await new MapperTrainer(new TrainingOptions { Epochs = 2, Seed = 9, Threads = 1 }).TrainAsync([dataset], one, null, CancellationToken.None);
        await new MapperTrainer(new TrainingOptions { Epochs = 2, Seed = 9, Threads = 2 }).TrainAsync([dataset], two, null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
    }

    [Fact]
    public async Task Train_CancelledInTheSecondEpoch_LeavesTheFirstEpochOnDisk()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 200, videos: 2, seed: 4);
        var output = Path.Combine(_dir, "cancelled.safetensors");
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(p =>
        {
            if (p.Epoch == 2)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new MapperTrainer(new TrainingOptions { Epochs = 5 }).TrainAsync([dataset], output, progress, cancellation.Token));

        var record = MapperTrainingRecord.FromMetadata(SafetensorsFile.Read(output).Metadata);
        Assert.Equal(1, record!.Epoch);
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Fact]
    public async Task Train_WithoutValidation_KeepsTheLowestTrainingLoss()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 100, videos: 1, seed: 4);

        var result = await new MapperTrainer(new TrainingOptions { Epochs = 3, ValidationFraction = 0 }).TrainAsync([dataset], Path.Combine(_dir, "m.safetensors"), null, CancellationToken.None);

        Assert.Null(result.BestValidation);
        Assert.Equal(0, result.ValidationPairs);
        Assert.Equal(result.Epochs.MinBy(e => e.TrainingLoss)!.Epoch, result.BestEpoch);
    }

    [Fact]
    public async Task Train_TwoDatasets_TrainsOnBothAndRecordsBoth()
    {
        var first = SyntheticMapperDataset.Create(pairs: 80, videos: 2, seed: 5);
        var second = SyntheticMapperDataset.Create(pairs: 40, videos: 2, seed: 6);
        var output = Path.Combine(_dir, "both.safetensors");

        var result = await new MapperTrainer(new TrainingOptions { Epochs = 1, ValidationFraction = 0.25 }).TrainAsync([first, second], output, null, CancellationToken.None);

        Assert.Equal((90, 30), (result.TrainingPairs, result.ValidationPairs));
        var record = MapperTrainingRecord.FromMetadata(SafetensorsFile.Read(output).Metadata)!;
        Assert.Equal(new[] { (first.Fingerprint, 80), (second.Fingerprint, 40) }, record.Datasets.Select(d => (d.Fingerprint, d.Pairs)));
        Assert.Equal(0.25, record.ValidationFraction);
    }

    [Fact]
    public async Task Train_NotClipDimension_SaysTheMapperTakes512()
    {
        var description = new DatasetDescription { ModelSet = "mobilenet", Segments = [new DatasetSegment("a.mp4", 0, 3, 0)] };
        var dataset = new MapperDataset(new NpyArray(1, 1280, new float[1280]), new NpyArray(1, 512, new float[512]), description);

        var ex = await Assert.ThrowsAsync<TrainingException>(() => new MapperTrainer(new TrainingOptions()).TrainAsync([dataset], Path.Combine(_dir, "x.safetensors"), null, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.WrongDimension, ex.Reason);
        Assert.Contains("1280-d embeddings (made with model set mobilenet)", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.safetensors")));
    }

    [Theory]
    [InlineData(0, 1e-4, 64, 0.1, "epochs")]
    [InlineData(10, 0.0, 64, 0.1, "learning rate")]
    [InlineData(10, 1e-4, 0, 0.1, "batch size")]
    [InlineData(10, 1e-4, 64, 1.0, "validation fraction")]
    public void Constructor_OptionOutOfRange_NamesIt(int epochs, double learningRate, int batch, double validation, string name)
    {
        var ex = Assert.Throws<TrainingException>(() => new MapperTrainer(new TrainingOptions { Epochs = epochs, LearningRate = learningRate, BatchSize = batch, ValidationFraction = validation }));

        Assert.Equal(TrainingErrorReason.InvalidOptions, ex.Reason);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(aa * bb);
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
