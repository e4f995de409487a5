using V2AStream.Core.Scenes;

namespace V2AStream.Core.Tests.Scenes;

public sealed class RobustStatisticsTests
{
    [Theory]
    [InlineData(new double[] { 3, 1, 2 }, 2)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    [InlineData(new double[] { 5, 5, 5, 5, 1 }, 5)]
    [InlineData(new double[] { 7 }, 7)]
    public void Median_SmallSets_MatchesSortedMiddle(double[] values, double expected) =>
        Assert.Equal(expected, RobustStatistics.Median(values));

    [Fact]
    public void Median_RandomSets_MatchesSorting()
    {
        var random = new Random(1);
        for (var trial = 0; trial < 200; trial++)
        {
            var values = Enumerable.Range(0, random.Next(1, 300)).Select(_ => Math.Round(random.NextDouble() * 10)).ToArray();
            var sorted = values.Order().ToArray();
            var expected = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

            Assert.Equal(expected, RobustStatistics.Median(values));
        }
    }

    [Fact]
    public void MedianAndMad_OneOutlier_IgnoresIt()
    {
        var (median, mad) = RobustStatistics.MedianAndMad(new double[] { 1, 2, 3, 4, 100 });

        Assert.Equal(3, median);
        Assert.Equal(1, mad);
    }
}
