using Google.Protobuf;
using V2AStream.Onnx.Graphs.Proto;

namespace V2AStream.Onnx.Graphs;

/// <summary>A node attribute for <see cref="OnnxGraphBuilder"/>.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(AttributeProto proto) => Proto = proto;

    internal AttributeProto Proto { get; }

    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public static OnnxAttribute String(string name, string value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    public static OnnxAttribute Ints(string name, params long[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.AddRange(values);
        return new OnnxAttribute(proto);
    }

    public static OnnxAttribute Floats(string name, params float[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        proto.Floats.AddRange(values);
        return new OnnxAttribute(proto);
    }

    /// <summary>A tensor attribute (Constant's "value") holding float32 data of the given shape.</summary>
    public static OnnxAttribute Tensor(string name, float[] values, params long[] dims) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxGraphBuilder.MakeTensor(name, values, dims) });

    /// <summary>A tensor attribute holding int64 data of the given shape.</summary>
    public static OnnxAttribute Tensor(string name, long[] values, params long[] dims) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxGraphBuilder.MakeTensor(name, values, dims) });
}
