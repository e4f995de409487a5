using V2AStream.Core.Mapping;
using V2AStream.Core.Models;

namespace V2AStream.Core.Tests.Mapping;

public sealed class PrototypeMapperTests
{
    [Theory]
    [InlineData("prototype_f32.safetensors", "prototype_f32")]
    [InlineData("prototype_f16.safetensors", "prototype_f16")]
    public void Map_ReferenceTables_MatchesNumPyTo1e5(string file, string expectedName)
    {
        var mapper = PrototypeMapper.Load(MapperReference.PathOf(file), temperature: null);
        var inputs = MapperReference.Rows("inputs");
        var expected = MapperReference.Rows(expectedName);

        for (var n = 0; n < inputs.Length; n++)
        {
            var output = mapper.Map(inputs[n]).Condition;
            for (var i = 0; i < output.Length; i++)
            {
                Assert.True(Math.Abs(output[i] - expected[n][i]) <= 1e-5, $"input {n}, element {i}: {output[i]} vs {expected[n][i]}");
            }
        }
    }

    [Fact]
    public void Map_ReportsLabelsInOrderOfWeight()
    {
        var mapper = PrototypeMapper.Load(MapperReference.PathOf("prototype_f32.safetensors"), temperature: null);
        var inputs = MapperReference.Rows("inputs");
        var weights = MapperReference.Rows("prototype_f32_weights");

        var labels = mapper.Map(inputs[3]).Labels;

        Assert.Equal(20f, mapper.Temperature);
        Assert.Equal(3, labels.Count);
        var best = Array.IndexOf(weights[3], weights[3].Max());
        Assert.Equal(MapperReference.Labels[best], labels[0].Label);
        Assert.Equal(weights[3][best], labels[0].Weight, 1e-5);
        Assert.True(labels[0].Weight >= labels[1].Weight && labels[1].Weight >= labels[2].Weight);
    }

    [Fact]
    public void Map_IdentityMapper_ReturnsInput()
    {
        var mapper = new IdentityMapper();
        Assert.Equal(new[] { 1f, -2f, 3f }, mapper.Map(new[] { 1f, -2f, 3f }).Condition);
    }
}
