using System.Runtime.InteropServices;

namespace V2AStream.Core.Scenes;

/// <summary>
/// Fixed-capacity embedding rows, each starting on a 64-byte boundary of a pinned array. TensorPrimitives.Dot may sum
/// in an order that depends on the address's alignment; giving every row the same alignment makes a dot product
/// bit-identical wherever the two rows are stored, which the offline/incremental equivalence relies on.
/// </summary>
internal sealed class AlignedRows
{
    private const int AlignmentFloats = 16;
    private readonly float[] _buffer;
    private readonly int _offset;
    private readonly int _stride;

    public AlignedRows(int capacity, int dimension)
    {
        Capacity = capacity;
        Dimension = dimension;
        _stride = (dimension + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
        _buffer = GC.AllocateArray<float>(checked((capacity * _stride) + AlignmentFloats), pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0);
        var misalignmentBytes = (int)(address % (AlignmentFloats * sizeof(float)));
        _offset = misalignmentBytes == 0 ? 0 : ((AlignmentFloats * sizeof(float)) - misalignmentBytes) / sizeof(float);
    }

    public int Capacity { get; }

    public int Dimension { get; }

    public Span<float> this[int slot] => _buffer.AsSpan(_offset + (slot * _stride), Dimension);
}
