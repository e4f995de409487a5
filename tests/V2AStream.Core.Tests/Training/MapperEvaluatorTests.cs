using V2AStream.Core.Tests.Mapping;
using V2AStream.Core.Training;
using V2AStream.Testing.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class MapperEvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-evaluator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Evaluate_ItsTrainingDataset_ScoresTheHeldOutSplit_AsTrainingReported()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 300, videos: 12, seed: 1);
        var mapper = Path.Combine(_dir, "m.safetensors");
        var trained = await new MapperTrainer(new TrainingOptions { Epochs = 2, Seed = 3, ValidationFraction = 0.2 }).TrainAsync([dataset], mapper, null, CancellationToken.None);

        var evaluation = await MapperEvaluator.EvaluateAsync(dataset, mapper, threads: 2, CancellationToken.None);

        Assert.True(evaluation.HeldOutSplitOnly);
        Assert.Equal(trained.ValidationPairs, evaluation.Metrics.Pairs);
        Assert.Equal(300, evaluation.DatasetPairs);
        Assert.Equal(trained.BestValidation, evaluation.Metrics);
        Assert.Equal(trained.BestEpoch, evaluation.Training!.Epoch);
    }

    [Fact]
    public async Task Evaluate_AnotherDataset_ScoresAllOfIt()
    {
        var training = SyntheticMapperDataset.Create(pairs: 100, videos: 2, seed: 1);
        var other = SyntheticMapperDataset.Create(pairs: 70, videos: 2, seed: 2);
        var mapper = Path.Combine(_dir, "m.safetensors");
        await new MapperTrainer(new TrainingOptions { Epochs = 1 }).TrainAsync([training], mapper, null, CancellationToken.None);

        var evaluation = await MapperEvaluator.EvaluateAsync(other, mapper, threads: 2, CancellationToken.None);

        Assert.False(evaluation.HeldOutSplitOnly);
        Assert.Equal(70, evaluation.Metrics.Pairs);
    }

    [Fact]
    public async Task Evaluate_DatasetThatTrainedItWithoutValidation_Refuses()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 50, videos: 2, seed: 1);
        var mapper = Path.Combine(_dir, "m.safetensors");
        await new MapperTrainer(new TrainingOptions { Epochs = 1, ValidationFraction = 0 }).TrainAsync([dataset], mapper, null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<TrainingException>(() => MapperEvaluator.EvaluateAsync(dataset, mapper, threads: 1, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.NotEnoughData, ex.Reason);
        Assert.Contains("every pair of it trained this mapper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_MapperNotMadeByTheTrainer_ScoresTheWholeDataset()
    {
        var mapper = Path.Combine(_dir, "reference.safetensors");
        MapperReference.WriteMlpWeights(mapper, prefix: "mapper.");

        var evaluation = await MapperEvaluator.EvaluateAsync(SyntheticMapperDataset.Create(pairs: 20, videos: 1, seed: 1), mapper, threads: 1, CancellationToken.None);

        Assert.Null(evaluation.Training);
        Assert.Equal(20, evaluation.Metrics.Pairs);
    }
}
