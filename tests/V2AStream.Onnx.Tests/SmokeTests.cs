using V2AStream.Testing.Onnx;

namespace V2AStream.Onnx.Tests;

[Collection(OrtCollection.Name)]
public sealed class SmokeTests(OrtRuntimeFixture ort)
{
    [Fact]
    public void Run_Add_ReturnsSum()
    {
        var model = new OnnxGraphBuilder("add")
            .Input("a", TensorElementType.Float, -1, 3)
            .Input("b", TensorElementType.Float, -1, 3)
            .Node("Add", ["a", "b"], ["sum"])
            .Output("sum", TensorElementType.Float, -1, 3)
            .ToBytes();
        using var session = InferenceSession.Create(ort.Runtime, model);
        using var result = session.Run([
            OrtInput.Create<float>("a", new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3),
            OrtInput.Create<float>("b", new float[] { 10, 20, 30, 40, 50, 60 }, 2, 3)]);
        Assert.Equal(new float[] { 11, 22, 33, 44, 55, 66 }, result["sum"].ToArray<float>());
        Assert.Equal(new long[] { 2, 3 }, result["sum"].Shape);
        Assert.Equal("1.23.2", ort.Runtime.Version);
    }
}
