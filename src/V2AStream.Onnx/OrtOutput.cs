using V2AStream.Onnx.Native;

namespace V2AStream.Onnx;

/// <summary>
/// One output tensor of a run, in memory ORT allocated. <see cref="GetData{T}"/> reads it in place;
/// the span is valid until this output (or the <see cref="OrtRunResult"/> holding it) is disposed.
/// </summary>
public sealed unsafe class OrtOutput : IDisposable
{
    private readonly OrtHandle _value;
    private readonly void* _data;
    private readonly long[] _shape;

    internal OrtOutput(string name, OrtHandle value, TensorElementType elementType, long[] shape, long elementCount, void* data)
    {
        Name = name;
        _value = value;
        ElementType = elementType;
        _shape = shape;
        ElementCount = elementCount;
        _data = data;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape => _shape;

    public long ElementCount { get; }

    /// <summary>The elements, row-major, without a copy. <typeparamref name="T"/> must match <see cref="ElementType"/>.</summary>
    public ReadOnlySpan<T> GetData<T>()
        where T : unmanaged
    {
        var requested = TensorElementTypes.Of<T>();
        if (requested != ElementType)
        {
            throw new OrtException(OrtErrorCode.InvalidArgument, $"Output '{Name}' holds {TensorElementTypes.Describe(ElementType)}, not {TensorElementTypes.Describe(requested)}.");
        }

        ObjectDisposedException.ThrowIf(_value.IsClosed, this);
        return new ReadOnlySpan<T>(_data, checked((int)ElementCount));
    }

    /// <summary>A copy of the elements that outlives this output.</summary>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();

    public void Dispose() => _value.Dispose();
}
