using V2AStream.Soak;

namespace V2AStream.Tests.Soak;

public sealed class SoakReportTests
{
    [Fact]
    public void RssGrowth_LongRun_FromTheWarmUpPointToTheEnd()
    {
        var memory = new List<MemorySample> { new(0, 50e6, 1e6), new(60, 90e6, 1e6), new(120, 100e6, 2e6), new(600, 102e6, 2e6) };

        var report = new SoakReport([], memory, growthFromSeconds: 120, childrenBefore: 1, childrenAfter: 1, wallSeconds: 600, mode: "live", realtime: true);

        Assert.Equal(120, report.GrowthFromSeconds);
        Assert.Equal(2.0, report.RssGrowthPercent, 9);
    }

    [Fact]
    public void RssGrowth_RunShorterThanTwiceTheWarmUp_FromItsHalfway()
    {
        var memory = new List<MemorySample> { new(0, 50e6, 1e6), new(60, 100e6, 1e6), new(120, 110e6, 2e6) };

        var report = new SoakReport([], memory, growthFromSeconds: 120, childrenBefore: 0, childrenAfter: 0, wallSeconds: 120, mode: "live", realtime: true);

        Assert.Equal(60, report.GrowthFromSeconds);
        Assert.Equal(10.0, report.RssGrowthPercent, 9);
    }

    [Fact]
    public void CheckSlo_NoChunkArrived_Missed()
    {
        var report = new SoakReport([], [], growthFromSeconds: 120, childrenBefore: 0, childrenAfter: 0, wallSeconds: 1, mode: "live", realtime: true);

        Assert.Contains("no audio chunk arrived", report.CheckSlo(null, null, null, null));
    }
}
