using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>Checks one input or output of a loaded model against the export contract, naming the file and tensor on failure.</summary>
internal static class TensorContract
{
    /// <summary>
    /// Finds <paramref name="name"/> in <paramref name="tensors"/> and checks its element type and shape:
    /// <paramref name="dims"/> gives each expected size, -1 for "any"; a dynamic size in the model always passes.
    /// </summary>
    public static TensorMetadata Require(string file, string direction, IReadOnlyList<TensorMetadata> tensors, string name, TensorElementType[] types, long[] dims)
    {
        var tensor = tensors.FirstOrDefault(t => t.Name == name)
            ?? throw Mismatch(file, name, $"has no {direction} '{name}' (it has {string.Join(", ", tensors.Select(t => $"'{t.Name}'"))}); re-export it with the scripts in models/export");
        if (!types.Contains(tensor.ElementType))
        {
            throw Mismatch(file, name, $"{direction} '{name}' is {Describe(tensor.ElementType)}, expected {string.Join(" or ", types.Select(Describe))}");
        }

        return RequireShape(file, direction, tensor, dims);
    }

    /// <summary>Checks only the rank and fixed sizes of <paramref name="tensor"/>.</summary>
    public static TensorMetadata RequireShape(string file, string direction, TensorMetadata tensor, long[] dims)
    {
        var actual = tensor.Dimensions;
        var matches = actual.Count == dims.Length && actual.Zip(dims).All(p => p.First < 0 || p.Second < 0 || p.First == p.Second);
        if (!matches)
        {
            throw Mismatch(file, tensor.Name, $"{direction} '{tensor.Name}' has shape {TensorElementTypes.DescribeShape(actual.ToArray())}, expected {TensorElementTypes.DescribeShape(dims)}");
        }

        return tensor;
    }

    public static ModelSetException Mismatch(string file, string tensor, string what) =>
        new(ModelSetErrorReason.ContractMismatch, $"{file}: {what}.", file, tensor);

    private static string Describe(TensorElementType type) => TensorElementTypes.Describe(type);
}
