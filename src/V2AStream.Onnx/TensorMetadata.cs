namespace V2AStream.Onnx;

/// <summary>One input or output of a model: its name, element type and shape (-1 marks a dynamic dimension).</summary>
public sealed record TensorMetadata(string Name, TensorElementType ElementType, IReadOnlyList<long> Dimensions)
{
    /// <summary>"name: float32 [?,3,224,224]", for messages.</summary>
    public override string ToString() =>
        $"{Name}: {TensorElementTypes.Describe(ElementType)} {TensorElementTypes.DescribeShape(Dimensions.ToArray())}";
}
