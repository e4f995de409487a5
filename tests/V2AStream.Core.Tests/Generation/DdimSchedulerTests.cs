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
    public void Timesteps_TwentyFiveSteps_MatchNumPy()
    {
        var scheduler = new DdimScheduler(25);

        Assert.Equal(Reference.GetProperty("timesteps").EnumerateArray().Select(t => t.GetInt32()), scheduler.Timesteps);
    }

    // diffusers' DDIMScheduler.set_timesteps with timestep_spacing "leading" and steps_offset 1, written out by hand:
    // (arange(n) * (1000 // n))[::-1] + 1.
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(4, new[] { 751, 501, 251, 1 })]
    [InlineData(10, new[] { 901, 801, 701, 601, 501, 401, 301, 201, 101, 1 })]
    [InlineData(25, new[] { 961, 921, 881, 841, 801, 761, 721, 681, 641, 601, 561, 521, 481, 441, 401, 361, 321, 281, 241, 201, 161, 121, 81, 41, 1 })]
    [InlineData(3, new[] { 667, 334, 1 })]
    public void Timesteps_LeadingSpacing_AreTheLiteralDiffusersValues(int steps, int[] expected)
    {
        Assert.Equal(expected, new DdimScheduler(steps).Timesteps);
    }

    [Theory]
    [InlineData(25, 40)]
    [InlineData(3, 333)]
    public void StepRatio_IsTrainStepsOverSteps_RoundedDown(int steps, int expected)
    {
        Assert.Equal(expected, new DdimScheduler(steps).StepRatio);
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
    [InlineData(1000)]
    public void Constructor_StepsOutOfRange_Throws(int steps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdimScheduler(steps));
    }
}
