using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace V2AStream.Onnx;

/// <summary>
/// One input or output of a model: its name, element type and shape (-1 marks a dynamic dimension), in the order
/// the model declares them; what the contract checks compare against a model set's manifest.
/// </summary>
public sealed record TensorMetadata(string Name, TensorElementType ElementType, IReadOnlyList<long> Dimensions)
{
    /// <summary>"name: float32 [?,3,224,224]", for messages.</summary>
    public override string ToString() =>
        $"{Name}: {TensorElementTypes.Describe(ElementType)} {TensorElementTypes.DescribeShape(Dimensions.ToArray())}";

    /// <summary>ORT's metadata of <paramref name="names"/> in that order; a value that is not a tensor gets element type 0.</summary>
    internal static TensorMetadata[] Of(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        names.Select(name =>
        {
            var node = metadata[name];
            return node.IsTensor
                ? new TensorMetadata(name, node.ElementDataType, node.Dimensions.Select(d => (long)d).ToArray())
                : new TensorMetadata(name, 0, []);
        }).ToArray();
}
