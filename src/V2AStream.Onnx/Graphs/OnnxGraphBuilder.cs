using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Graphs.Proto;

namespace V2AStream.Onnx.Graphs;

/// <summary>
/// Builds small ONNX models in code: the generator's on-device arithmetic between model runs, and the graphs the
/// tests and benches run (so they need nothing from outside the repository). Dimensions given as -1 become named
/// dynamic dimensions. The result is a ModelProto with opset 17 (ai.onnx).
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly int _opset;
    private int _dynamicCount;

    public OnnxGraphBuilder(string name, int opset = 17)
    {
        _graph = new GraphProto { Name = name };
        _opset = opset;
    }

    public OnnxGraphBuilder Input(string name, TensorElementType type, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>An input whose dimensions are named symbols ("batch", "frames") or fixed numbers.</summary>
    public OnnxGraphBuilder Input(string name, TensorElementType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, TensorElementType type, params long[] dims)
    {
        _graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, TensorElementType type, params object[] dims)
    {
        _graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        _graph.Node.Add(node);
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, float[] values, params long[] dims)
    {
        _graph.Initializer.Add(MakeTensor(name, values, dims));
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, long[] values, params long[] dims)
    {
        _graph.Initializer.Add(MakeTensor(name, values, dims));
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, int[] values, params long[] dims)
    {
        _graph.Initializer.Add(MakeTensor(name, TensorElementType.Int32, MemoryMarshal.AsBytes(values.AsSpan()), dims));
        return this;
    }

    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "v2astream", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        return model.ToByteArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    internal static TensorProto MakeTensor(string name, float[] values, long[] dims) =>
        MakeTensor(name, TensorElementType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    internal static TensorProto MakeTensor(string name, long[] values, long[] dims) =>
        MakeTensor(name, TensorElementType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    private static TensorProto MakeTensor(string name, TensorElementType type, ReadOnlySpan<byte> littleEndianData, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndianData) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private ValueInfoProto ValueInfo(string name, TensorElementType type, long[] dims) =>
        ValueInfo(name, type, dims.Select(d => d < 0 ? (object)$"dim{_dynamicCount++}" : d).ToArray());

    private static ValueInfoProto ValueInfo(string name, TensorElementType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Dimension {dim} must be a number or a symbol name.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
