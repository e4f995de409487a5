using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using V2AStream.Core.Text;

namespace V2AStream.Core.Embedding;

/// <summary>
/// A 2-D float32 array in row-major (C) order, read from and written to NumPy's .npy format
/// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): versions 1.0, 2.0 and 3.0 are read,
/// little- and big-endian float32; 1.0 is written (2.0 when the header outgrows 64 KiB), little-endian, with the
/// header padded so that the data starts on a 64-byte boundary as NumPy does. Embeddings are [frames, dimension].
/// </summary>
public sealed partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Wraps <paramref name="data"/> (not copied) as a [rows, columns] array.</summary>
    public NpyArray(int rows, int columns, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)rows * columns != data.Length)
        {
            throw new ArgumentException($"a [{rows}, {columns}] array needs {(long)rows * columns} values, got {data.Length}.", nameof(data));
        }

        Rows = rows;
        Columns = columns;
        Data = data;
    }

    /// <summary>The first dimension (frames, for embeddings).</summary>
    public int Rows { get; }

    /// <summary>The second dimension (the embedding's length).</summary>
    public int Columns { get; }

    /// <summary>All values, row after row.</summary>
    public float[] Data { get; }

    /// <summary>One row's values.</summary>
    public ReadOnlySpan<float> Row(int row) => Data.AsSpan(checked(row * Columns), Columns);

    /// <summary>Reads a .npy file; throws <see cref="NpyFormatException"/> when it is not a 2-D float32 C-order array.</summary>
    /// <param name="vectorAsRow">Also accept a 1-D array (n,) and read it as one row [1, n] (a single embedding).</param>
    public static async Task<NpyArray> ReadFileAsync(string path, CancellationToken cancellationToken, bool vectorAsRow = false)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, cancellationToken, vectorAsRow).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one .npy array from the stream's current position, leaving it just after the array's data.</summary>
    public static async Task<NpyArray> ReadAsync(Stream stream, CancellationToken cancellationToken, bool vectorAsRow = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var preamble = new byte[Magic.Length + 2];
        await ReadExactlyOrThrowAsync(stream, preamble, "the magic string and version", cancellationToken).ConfigureAwait(false);
        if (!preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new NpyFormatException(NpyFormatError.NotNpy, "not a .npy file (no \\x93NUMPY magic): save the array with numpy.save.");
        }

        var major = preamble[Magic.Length];
        var minor = preamble[Magic.Length + 1];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new NpyFormatException(NpyFormatError.UnsupportedVersion, $".npy format version {major}.{minor} is not supported: 1.0, 2.0 and 3.0 are.");
        }

        var lengthBytes = new byte[major == 1 ? 2 : 4];
        await ReadExactlyOrThrowAsync(stream, lengthBytes, "the header length", cancellationToken).ConfigureAwait(false);
        var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > 1 << 20)
        {
            throw new NpyFormatException(NpyFormatError.BadHeader, $".npy header of {headerLength} bytes is implausibly long: the file is damaged.");
        }

        var headerBytes = new byte[headerLength];
        await ReadExactlyOrThrowAsync(stream, headerBytes, "the header", cancellationToken).ConfigureAwait(false);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (bigEndian, rows, columns) = ParseHeader(header, vectorAsRow);

        // The shape is only a claim: check it against the bytes there are before allocating for it.
        var byteCount = (long)rows * columns * sizeof(float);
        if (stream.CanSeek && stream.Length - stream.Position < byteCount)
        {
            throw new NpyFormatException(
                NpyFormatError.Truncated, $".npy file holds {Math.Max(0, stream.Length - stream.Position)} of the {byteCount} data bytes of the [{rows}, {columns}] float32 array its header declares: it is truncated or damaged.");
        }

        var data = await ReadDataAsync(stream, (int)byteCount, rows, columns, cancellationToken).ConfigureAwait(false);
        if (bigEndian == BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<float, int>(data.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return new NpyArray(rows, columns, data);
    }

    /// <summary>Writes the array as a .npy file (replacing it).</summary>
    public async Task WriteFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await WriteAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the array in .npy format at the stream's current position.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(CreateHeader(), cancellationToken).ConfigureAwait(false);
        if (BitConverter.IsLittleEndian)
        {
            await stream.WriteAsync(MemoryMarshal.AsBytes(Data.AsSpan()).ToArray(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var swapped = new int[Data.Length];
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(Data.AsSpan()), swapped);
            await stream.WriteAsync(MemoryMarshal.AsBytes(swapped.AsSpan()).ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The magic string, version, header length and header dictionary, padded to a multiple of 64 bytes.</summary>
    internal byte[] CreateHeader()
    {
        var dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({Rows}, {Columns}), }}");
        foreach (var (major, lengthSize) in new[] { (1, 2), (2, 4) })
        {
            var unpadded = Magic.Length + 2 + lengthSize + dictionary.Length + 1;
            var total = (unpadded + 63) / 64 * 64;
            var headerLength = total - Magic.Length - 2 - lengthSize;
            if (major == 2 || headerLength <= ushort.MaxValue)
            {
                var bytes = new byte[total];
                Magic.CopyTo(bytes, 0);
                bytes[Magic.Length] = (byte)major;
                bytes[Magic.Length + 1] = 0;
                if (lengthSize == 2)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Magic.Length + 2), (ushort)headerLength);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Magic.Length + 2), (uint)headerLength);
                }

                var text = dictionary.PadRight(headerLength - 1) + "\n";
                Encoding.Latin1.GetBytes(text, bytes.AsSpan(Magic.Length + 2 + lengthSize));
                return bytes;
            }
        }

        throw new InvalidOperationException("unreachable: a version 2.0 header always fits.");
    }

    private static (bool BigEndian, int Rows, int Columns) ParseHeader(string header, bool vectorAsRow)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!header.TrimStart().StartsWith('{') || !descr.Success || !fortran.Success || !shape.Success)
        {
            throw new NpyFormatException(NpyFormatError.BadHeader, $".npy header is not a dictionary with descr, fortran_order and shape: {SafeText.Escape(header.Trim(), 120)}");
        }

        var dtype = descr.Groups[1].Value;
        if (dtype is not ("<f4" or ">f4" or "=f4"))
        {
            throw new NpyFormatException(
                NpyFormatError.UnsupportedDtype, $".npy holds dtype '{SafeText.Escape(dtype, 120)}', not float32: convert it with array.astype(numpy.float32) before saving.");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new NpyFormatException(
                NpyFormatError.FortranOrder, ".npy array is in Fortran order: save numpy.ascontiguousarray(array) instead.");
        }

        var dimensions = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (vectorAsRow && dimensions.Length == 1)
        {
            dimensions = ["1", dimensions[0]];
        }

        if (dimensions.Length != 2)
        {
            throw new NpyFormatException(
                NpyFormatError.NotTwoDimensional, $".npy array has shape ({SafeText.Escape(shape.Groups[1].Value.Trim(), 120)}), not the 2-D [frames, dimension] this expects.");
        }

        if (!long.TryParse(dimensions[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !long.TryParse(dimensions[1], NumberStyles.None, CultureInfo.InvariantCulture, out var columns))
        {
            throw new NpyFormatException(NpyFormatError.BadHeader, $".npy shape ({SafeText.Escape(shape.Groups[1].Value.Trim(), 120)}) is not two whole numbers.");
        }

        // At most 2 GiB of data: one .NET byte span; embeddings are a few megabytes.
        if (rows > int.MaxValue || columns > int.MaxValue || rows * columns > int.MaxValue / sizeof(float))
        {
            throw new NpyFormatException(NpyFormatError.TooLarge, $".npy array [{rows}, {columns}] holds more values than this reads (at most {int.MaxValue / sizeof(float)}): split it.");
        }

        return (dtype[0] == '>' || (dtype[0] == '=' && !BitConverter.IsLittleEndian), (int)rows, (int)columns);
    }

    private static async Task ReadExactlyOrThrowAsync(Stream stream, byte[] buffer, string what, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new NpyFormatException(NpyFormatError.Truncated, $".npy file ends inside {what}: it is truncated.");
        }
    }

    /// <summary>
    /// Reads the array's <paramref name="byteCount"/> data bytes. From a stream whose length is unknown the bytes are
    /// gathered in chunks first, so memory follows the bytes that really arrive, not the shape the header claims.
    /// </summary>
    private static async Task<float[]> ReadDataAsync(Stream stream, int byteCount, int rows, int columns, CancellationToken cancellationToken)
    {
        var chunks = new List<byte[]>();
        var offset = 0;
        while (offset < byteCount)
        {
            var chunk = new byte[Math.Min(byteCount - offset, 1 << 20)];
            var filled = await stream.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled < chunk.Length)
            {
                throw new NpyFormatException(
                    NpyFormatError.Truncated, $".npy file ends after {offset + filled} of the {byteCount} data bytes of a [{rows}, {columns}] float32 array: it is truncated.");
            }

            chunks.Add(chunk);
            offset += filled;
        }

        var data = new float[byteCount / sizeof(float)];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        offset = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes[offset..]);
            offset += chunk.Length;
        }

        return data;
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
