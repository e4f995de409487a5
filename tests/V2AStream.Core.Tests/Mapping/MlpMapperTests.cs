using V2AStream.Core.Mapping;
using V2AStream.Core.Models;

namespace V2AStream.Core.Tests.Mapping;

public sealed class MlpMapperTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-mlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("mapper.")]
    public void Map_ReferenceWeights_MatchesNumPyTo1e5(string prefix)
    {
        MapperReference.WriteMlpWeights(Path.Combine(_dir, "mlp.safetensors"), prefix);
        var mapper = MlpMapper.Load(Path.Combine(_dir, "mlp.safetensors"));
        var inputs = MapperReference.Rows("inputs");
        var expected = MapperReference.Rows("mlp");

        for (var n = 0; n < inputs.Length; n++)
        {
            var output = mapper.Map(inputs[n]).Condition;
            Assert.Equal(512, output.Length);
            for (var i = 0; i < output.Length; i++)
            {
                Assert.True(Math.Abs(output[i] - expected[n][i]) <= 1e-5, $"input {n}, element {i}: {output[i]} vs {expected[n][i]}");
            }
        }
    }

    [Fact]
    public void Load_WrongShape_NamesFileAndTensor()
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        MapperReference.WriteMlpWeights(path, wrongShape: (2, [512, 512]));

        var ex = Assert.Throws<ModelSetException>(() => MlpMapper.Load(path));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, ex.Reason);
        Assert.Equal("2.weight", ex.Tensor);
        Assert.Contains("bad.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[512,512]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[512,1024]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTensor_NamesIt()
    {
        var path = Path.Combine(_dir, "missing.safetensors");
        MapperReference.WriteMlpWeights(path, skip: "3.weight");

        var ex = Assert.Throws<ModelSetException>(() => MlpMapper.Load(path));

        Assert.Equal("3.weight", ex.Tensor);
    }

    [Fact]
    public void Load_NotSafetensors_SaysCorrupt()
    {
        var path = Path.Combine(_dir, "junk.safetensors");
        File.WriteAllText(path, "definitely not a safetensors file");

        var ex = Assert.Throws<ModelSetException>(() => MlpMapper.Load(path));

        Assert.Equal(ModelSetErrorReason.CorruptFile, ex.Reason);
    }

    [Fact]
    public void Map_WrongDimension_Throws()
    {
        MapperReference.WriteMlpWeights(Path.Combine(_dir, "mlp.safetensors"));
        var mapper = MlpMapper.Load(Path.Combine(_dir, "mlp.safetensors"));

        Assert.Throws<ArgumentException>(() => mapper.Map(new float[1280]));
    }
}
