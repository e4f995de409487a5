using System.Text.Json;
using V2AStream.Core.Generation;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Generation;

/// <summary>Against tests/reference/ddim_reference.json, made independently by make_ddim_reference.py.</summary>
public sealed class DdimSchedulerTests
{
    internal static readonly JsonElement Reference = JsonDocument.Parse(
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

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Constructor_StepsOutOfRange_Throws(int steps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdimScheduler(steps));
    }
}
