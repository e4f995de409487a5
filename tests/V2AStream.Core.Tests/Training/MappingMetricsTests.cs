using V2AStream.Core.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class MappingMetricsTests
{
    [Fact]
    public void Compute_OutputsEqualToTargets_ScorePerfectly()
    {
        float[] targets = [1, 0, 0, 1, 0.6f, 0.8f];

        var metrics = MappingMetrics.Compute(targets, targets, pairs: 3, dim: 2, retrieval: true, threads: 1);

        Assert.Equal(new MappingMetrics(3, 0, 1, 1), metrics with { MeanCosine = Math.Round(metrics.MeanCosine, 12) });
    }

    [Fact]
    public void Compute_KnownPairs_GivesTheHandWorkedValues()
    {
        // Pair 0: output (2, 0) vs target (1, 0): squared errors 1 and 0, cosine 1, nearest target is its own.
        // Pair 1: output (1, 0) vs target (0, 1): squared errors 1 and 1, cosine 0, nearest target is pair 0's.
        float[] outputs = [2, 0, 1, 0];
        float[] targets = [1, 0, 0, 1];

        var metrics = MappingMetrics.Compute(outputs, targets, pairs: 2, dim: 2, retrieval: true, threads: 1);

        Assert.Equal(2, metrics.Pairs);
        Assert.Equal(0.75, metrics.Mse, 12);
        Assert.Equal(0.5, metrics.MeanCosine, 12);
        Assert.Equal(0.5, metrics.Top1Accuracy);
    }

    [Fact]
    public void Compute_WithoutRetrieval_LeavesTop1Null()
    {
        Assert.Null(MappingMetrics.Compute(new float[] { 1, 0 }, new float[] { 1, 0 }, 1, 2, retrieval: false, threads: 1).Top1Accuracy);
    }
}
