using System.Text.Json;
using V2AStream.Core.Generation;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Generation;

/// <summary>Against tests/reference/ddim_reference.json, made independently by make_ddim_reference.py.</summary>
public sealed class DdimSchedulerTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "reference", "ddim_reference.json"))).RootElement;

    [Fact]
    public void Timesteps_TwentyFiveSteps_Are961DownTo1()
    {
        var scheduler = new DdimScheduler(25);

        Assert.Equal(Reference.GetProperty("timesteps").EnumerateArray().Select(t => t.GetInt32()), scheduler.Timesteps);
        Assert.Equal(961, scheduler.Timesteps[0]);
        Assert.Equal(1, scheduler.Timesteps[^1]);
    }

    [Fact]
    public void AlphaCumprod_ChosenIndices_MatchNumPy()
    {
        var scheduler = new DdimScheduler(25);
        var indices = Reference.GetProperty("alphas_cumprod_indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
        var values = Reference.GetProperty("alphas_cumprod").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        for (var i = 0; i < indices.Length; i++)
        {
            Assert.Equal(values[i], scheduler.AlphaCumprod(indices[i]), 1e-12);
        }
    }

    [Fact]
    public void Step_FullTrajectoryWithGuidance_MatchesNumPy()
    {
        var scheduler = new DdimScheduler(25);
        var guidance = Reference.GetProperty("guidance").GetSingle();
        var trajectory = Reference.GetProperty("trajectory").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var x = (float[])trajectory[0].Clone();
        var n = x.Length;

        for (var step = 0; step < 25; step++)
        {
            var eps = new float[n];
            for (var j = 0; j < n; j++)
            {
                var epsU = (0.5 * x[j]) + (0.1 * Math.Sin(j + step));
                var epsC = (0.4 * x[j]) + (0.1 * Math.Cos(j - step));
                eps[j] = (float)(epsU + (guidance * (epsC - epsU)));
            }

            scheduler.Step(step, eps, x);
            for (var j = 0; j < n; j++)
            {
                var expected = trajectory[step + 1][j];
                Assert.True(Math.Abs(x[j] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"step {step}, element {j}: {x[j]} vs {expected}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Constructor_StepsOutOfRange_Throws(int steps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdimScheduler(steps));
    }
}
