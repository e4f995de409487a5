using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace V2AStream.Cli.Commands;

/// <summary>
/// A minimal reader for the float32 C-order .npy files the CLI takes (1-d or 2-d). Private to the CLI
/// until Core's shared NpyArray lands; replace it then.
/// </summary>
internal static partial class NpyRows
{
    /// <summary>Reads rows of <paramref name="path"/>: a 1-d array is one row.</summary>
    public static float[][] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} does not exist.");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new InvalidDataException($"{path} is not a .npy file.");
        }

        var major = bytes[6];
        var (headerLength, headerStart) = major == 1
            ? (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10)
            : ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12);
        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{path}: the .npy header is cut short.");
        }

        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value is not ("<f4" or "|f4"))
        {
            throw new InvalidDataException($"{path} holds '{(descr.Success ? descr.Groups[1].Value : "?")}' values; a float32 array is needed (numpy: arr.astype(np.float32)).");
        }

        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} is in Fortran order; save it C-ordered (np.ascontiguousarray).");
        }

        var shapeMatch = ShapePattern().Match(header);
        var shape = shapeMatch.Success
            ? shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray()
            : [];
        if (shape.Length is not (1 or 2) || shape.Any(d => d <= 0))
        {
            throw new InvalidDataException($"{path} has shape ({string.Join(", ", shape)}); a vector or a non-empty matrix of embeddings is needed.");
        }

        var rows = shape.Length == 1 ? 1 : (int)shape[0];
        var columns = (int)shape[^1];
        var dataStart = headerStart + headerLength;
        if ((long)rows * columns * 4 > bytes.Length - dataStart)
        {
            throw new InvalidDataException($"{path} is truncated: shape ({string.Join(", ", shape)}) needs {(long)rows * columns * 4} bytes of data.");
        }

        var result = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            result[r] = new float[columns];
            for (var c = 0; c < columns; c++)
            {
                result[r][c] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + (4 * ((r * columns) + c))));
            }
        }

        return result;
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
