using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Graphs;

namespace V2AStream.Onnx.Tests;

/// <summary>The small graphs the wrapper's tests run, built in code.</summary>
internal static class TestModels
{
    /// <summary>y = Identity(x) over a 2-D tensor of any size.</summary>
    public static byte[] Identity(TensorElementType type) =>
        new OnnxGraphBuilder("identity")
            .Input("x", type, "rows", "cols")
            .Node("Identity", ["x"], ["y"])
            .Output("y", type, "rows", "cols")
            .ToBytes();

    /// <summary>Inputs image [batch,3,4,4] float32 and ids [batch] int64; outputs doubled = image*2 and ids_float = Cast(ids).</summary>
    public static byte[] TwoInTwoOut() =>
        new OnnxGraphBuilder("two_in_two_out")
            .Input("image", TensorElementType.Float, "batch", 3L, 4L, 4L)
            .Input("ids", TensorElementType.Int64, "batch")
            .Initializer("two", [2f])
            .Node("Mul", ["image", "two"], ["doubled"])
            .Node("Cast", ["ids"], ["ids_float"], OnnxAttribute.Int("to", (long)TensorElementType.Float))
            .Output("doubled", TensorElementType.Float, "batch", 3L, 4L, 4L)
            .Output("ids_float", TensorElementType.Float, "batch")
            .ToBytes();

    /// <summary>y = MatMul(x, x) with x declared [?,?]: a non-square input passes the declared shape and fails inside ORT.</summary>
    public static byte[] SquareWithDynamicInput() =>
        new OnnxGraphBuilder("square")
            .Input("x", TensorElementType.Float, "rows", "cols")
            .Node("MatMul", ["x", "x"], ["y"])
            .Output("y", TensorElementType.Float, "rows", "cols")
            .ToBytes();

    /// <summary>A chain of <paramref name="depth"/> MatMuls of a [n,n] input with itself-sized weights: seconds of work, to cancel.</summary>
    public static byte[] LongMatMulChain(int n, int depth)
    {
        var weights = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            weights[(i * n) + i] = 1f;
        }

        var builder = new OnnxGraphBuilder("long_chain")
            .Input("x", TensorElementType.Float, (long)n, (long)n)
            .Initializer("w", weights, n, n);
        var previous = "x";
        for (var i = 0; i < depth; i++)
        {
            var next = i == depth - 1 ? "y" : $"h{i}";
            builder.Node("MatMul", [previous, "w"], [next]);
            previous = next;
        }

        return builder.Output("y", TensorElementType.Float, (long)n, (long)n).ToBytes();
    }
}
