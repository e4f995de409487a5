using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace V2AStream.Core.Training;

/// <summary>
/// Dense float32 matrix products for training: C = A·B with row-major A [m, k], B [k, n] and C [m, n].
/// Every element of C is one chain of fused multiply-adds over k in increasing order, on the vector path and on
/// the scalar path alike (<see cref="MathF.FusedMultiplyAdd"/>), so the result is the same bits whatever the
/// thread count or the machine's vector width. Large products are split over threads by column panels of C.
/// </summary>
internal static class MatrixMultiply
{
    private const int TileRows = 4;
    private const int PanelWidth = 16;

    /// <summary>Below this many multiply-adds one thread is faster than handing work out.</summary>
    private const long MinParallelMultiplyAdds = 1L << 20;

    /// <summary>C = A·B, overwriting C.</summary>
    /// <param name="maxThreads">At most this many threads work on the product (at least 1).</param>
    public static void Multiply(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n, int maxThreads)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"[{m},{k}]·[{k},{n}] needs {(long)m * k}, {(long)k * n} and {(long)m * n} values; got {a.Length}, {b.Length} and {c.Length}.");
        }

        var panels = (n + PanelWidth - 1) / PanelWidth;
        var workers = (long)m * k * n < MinParallelMultiplyAdds ? 1 : Math.Clamp(maxThreads, 1, panels);
        if (workers == 1)
        {
            MultiplyPanels(a.Span, b.Span, c.Span, m, k, n, 0, panels);
            return;
        }

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            MultiplyPanels(a.Span, b.Span, c.Span, m, k, n, panels * worker / workers, panels * (worker + 1) / workers));
    }

    /// <summary>Writes the transpose of <paramref name="source"/> [rows, columns] into <paramref name="destination"/> [columns, rows].</summary>
    public static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        if (source.Length < (long)rows * columns || destination.Length < (long)rows * columns)
        {
            throw new ArgumentException($"a [{rows},{columns}] transpose needs {(long)rows * columns} values on both sides; got {source.Length} and {destination.Length}.");
        }

        // 16 x 16 blocks keep both the rows read and the rows written in cache.
        const int Block = 16;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var r1 = Math.Min(rows, r0 + Block);
            for (var c0 = 0; c0 < columns; c0 += Block)
            {
                var c1 = Math.Min(columns, c0 + Block);
                for (var r = r0; r < r1; r++)
                {
                    ref var sourceRow = ref Unsafe.Add(ref from, (nint)r * columns);
                    for (var c = c0; c < c1; c++)
                    {
                        Unsafe.Add(ref to, ((nint)c * rows) + r) = Unsafe.Add(ref sourceRow, c);
                    }
                }
            }
        }
    }

    private static void MultiplyPanels(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int firstPanel, int endPanel)
    {
        for (var panel = firstPanel; panel < endPanel; panel++)
        {
            var column = panel * PanelWidth;
            var width = Math.Min(PanelWidth, n - column);
            var row = 0;
            if (width == PanelWidth && Vector256.IsHardwareAccelerated)
            {
                for (; row + TileRows <= m; row += TileRows)
                {
                    Tile4x16(a, b, c, row, column, k, n);
                }

                for (; row < m; row++)
                {
                    Tile1x16(a, b, c, row, column, k, n);
                }
            }
            else
            {
                for (; row < m; row++)
                {
                    ScalarRow(a, b, c, row, column, width, k, n);
                }
            }
        }
    }

    private static void Tile4x16(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int row, int column, int k, int n)
    {
        ref var a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), (nint)row * k);
        ref var a1 = ref Unsafe.Add(ref a0, k);
        ref var a2 = ref Unsafe.Add(ref a1, k);
        ref var a3 = ref Unsafe.Add(ref a2, k);
        ref var bColumn = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), column);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < k; p++)
        {
            ref var bRow = ref Unsafe.Add(ref bColumn, (nint)p * n);
            var b0 = Vector256.LoadUnsafe(ref bRow);
            var b1 = Vector256.LoadUnsafe(ref bRow, 8);
            var x = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a1, p));
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a2, p));
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a3, p));
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }

        ref var c0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), ((nint)row * n) + column);
        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, 8);
        ref var c1 = ref Unsafe.Add(ref c0, n);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, 8);
        ref var c2 = ref Unsafe.Add(ref c1, n);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, 8);
        ref var c3 = ref Unsafe.Add(ref c2, n);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, 8);
    }

    private static void Tile1x16(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int row, int column, int k, int n)
    {
        ref var a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), (nint)row * k);
        ref var bColumn = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), column);
        Vector256<float> c00 = default, c01 = default;
        for (var p = 0; p < k; p++)
        {
            ref var bRow = ref Unsafe.Add(ref bColumn, (nint)p * n);
            var x = Vector256.Create(Unsafe.Add(ref a0, p));
            c00 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bRow), c00);
            c01 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bRow, 8), c01);
        }

        ref var c0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), ((nint)row * n) + column);
        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, 8);
    }

    private static void ScalarRow(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int row, int column, int width, int k, int n)
    {
        var aRow = a.Slice(row * k, k);
        var cRow = c.Slice((row * n) + column, width);
        cRow.Clear();
        for (var p = 0; p < k; p++)
        {
            var x = aRow[p];
            var bRow = b.Slice((p * n) + column, width);
            for (var j = 0; j < width; j++)
            {
                cRow[j] = MathF.FusedMultiplyAdd(x, bRow[j], cRow[j]);
            }
        }
    }
}
