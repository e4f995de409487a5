using V2AStream.Running;

namespace V2AStream.Tests.Running;

public sealed class LatencyStatisticsTests
{
    [Fact]
    public void Percentile_OneToHundred_NearestRank()
    {
        var stats = new LatencyStatistics();
        foreach (var value in Enumerable.Range(1, 100).Reverse())
        {
            stats.Add(value / 100.0);
        }

        Assert.Equal(0.50, stats.Percentile(50));
        Assert.Equal(0.95, stats.Percentile(95));
        Assert.Equal(0.99, stats.Percentile(99));
        Assert.Equal(1.00, stats.Max);
        Assert.Equal(0.505, stats.Mean, 9);
    }

    [Fact]
    public void Percentile_FewSamples_IsAnObservedValue()
    {
        var stats = new LatencyStatistics();
        stats.Add(0.3);
        stats.Add(0.1);
        stats.Add(0.2);
        Assert.Equal(0.2, stats.Percentile(50));
        Assert.Equal(0.3, stats.Percentile(99));
        Assert.Equal(0.1, stats.Percentile(1));
    }

    [Fact]
    public void Percentile_Empty_IsNaN()
    {
        Assert.True(double.IsNaN(new LatencyStatistics().Percentile(99)));
    }

    [Fact]
    public void AddRange_MergesStreams()
    {
        var a = new LatencyStatistics();
        var b = new LatencyStatistics();
        a.Add(1);
        b.Add(3);
        b.Add(2);
        var all = new LatencyStatistics();
        all.AddRange(a);
        all.AddRange(b);
        Assert.Equal(3, all.Count);
        Assert.Equal(2, all.Percentile(50));
    }
}
