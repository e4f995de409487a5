using V2AStream.Core.Training;
using V2AStream.Testing.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class DatasetSplitTests
{
    [Fact]
    public void Create_TenOrMoreVideos_HoldsOutWholeVideos()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 400, videos: 20, seed: 1);

        var split = DatasetSplit.Create(dataset, 0.1, seed: 3);

        Assert.True(split.ByVideo);
        var heldVideos = split.ValidationRows.Select(r => dataset.Description.Segments[r].Video).ToHashSet();
        var trainVideos = split.TrainingRows.Select(r => dataset.Description.Segments[r].Video).ToHashSet();
        Assert.Empty(heldVideos.Intersect(trainVideos));
        Assert.Equal(2, heldVideos.Count); // 20 rows per video: two videos reach 40 = 10 % of 400
        Assert.Equal(40, split.ValidationRows.Count);
        Assert.Equal(Enumerable.Range(0, 400), split.TrainingRows.Concat(split.ValidationRows).Order());
    }

    [Fact]
    public void Create_FewVideos_HoldsOutSegments()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 95, videos: 3, seed: 1);

        var split = DatasetSplit.Create(dataset, 0.2, seed: 3);

        Assert.False(split.ByVideo);
        Assert.Equal(19, split.ValidationRows.Count);
        Assert.Equal(76, split.TrainingRows.Count);
    }

    [Fact]
    public void Create_SameDataFractionAndSeed_SameSplit_OtherSeed_OtherSplit()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 300, videos: 30, seed: 1);
        var again = SyntheticMapperDataset.Create(pairs: 300, videos: 30, seed: 1);

        Assert.Equal(DatasetSplit.Create(dataset, 0.1, 5).ValidationRows, DatasetSplit.Create(again, 0.1, 5).ValidationRows);
        Assert.NotEqual(DatasetSplit.Create(dataset, 0.1, 5).ValidationRows, DatasetSplit.Create(dataset, 0.1, 6).ValidationRows);
    }

    [Theory]
    [InlineData(0.0, 10, 0)]
    [InlineData(0.5, 1, 0)]
    [InlineData(0.01, 10, 1)]
    [InlineData(0.99, 10, 9)]
    public void Create_EdgeFractions_KeepAtLeastOneTrainingPair(double fraction, int pairs, int held)
    {
        var split = DatasetSplit.Create(SyntheticMapperDataset.Create(pairs, videos: 1, seed: 1), fraction, seed: 0);

        Assert.Equal(held, split.ValidationRows.Count);
        Assert.Equal(pairs - held, split.TrainingRows.Count);
    }
}
