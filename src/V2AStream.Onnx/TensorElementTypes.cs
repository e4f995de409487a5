using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace V2AStream.Onnx;

/// <summary>Element types and shapes as people read them in error messages.</summary>
public static class TensorElementTypes
{
    /// <summary>The ONNX spelling (float32, float16, int64, ...); "not a tensor" for a non-tensor value.</summary>
    public static string Describe(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Double => "float64",
        0 => "not a tensor",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>A shape as people write it, with '?' for a dynamic dimension: [?,3,224,224].</summary>
    public static string DescribeShape(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i] < 0 ? "?" : shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(",", parts) + "]";
    }
}
