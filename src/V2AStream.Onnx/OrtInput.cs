namespace V2AStream.Onnx;

/// <summary>
/// A named input tensor over caller memory. Nothing is copied: the memory is pinned only for the
/// duration of <see cref="InferenceSession.Run"/>, and ORT reads it in place.
/// </summary>
public sealed class OrtInput
{
    private OrtInput(string name, TensorElementType elementType, long[] shape, int elementSize, int elementCount, Func<System.Buffers.MemoryHandle> pin)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        ElementSize = elementSize;
        ElementCount = elementCount;
        Pin = pin;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    internal int ElementSize { get; }

    internal int ElementCount { get; }

    internal Func<System.Buffers.MemoryHandle> Pin { get; }

    /// <summary>A tensor named <paramref name="name"/> of the given shape over <paramref name="data"/> (row-major).</summary>
    public static unsafe OrtInput Create<T>(string name, ReadOnlyMemory<T> data, params long[] shape)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        return new OrtInput(name, TensorElementTypes.Of<T>(), (long[])shape.Clone(), sizeof(T), data.Length, data.Pin);
    }
}
