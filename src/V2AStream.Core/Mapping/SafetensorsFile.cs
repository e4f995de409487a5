using System.Buffers.Binary;
using System.Text.Json;
using V2AStream.Core.Models;
using V2AStream.Core.Text;

namespace V2AStream.Core.Mapping;

/// <summary>
/// A safetensors file (huggingface/safetensors format): an 8-byte little-endian header length, a JSON
/// header mapping tensor names to dtype, shape and byte offsets (plus an optional string-to-string
/// "__metadata__"), then the raw little-endian tensor bytes. F32, F16 and BF16 tensors are read as
/// float32. Every problem is a <see cref="ModelSetException"/> naming the file and the tensor.
/// </summary>
internal sealed class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Mapper weights and label tables are megabytes; a file past this is not one of them.</summary>
    private const long MaxFileBytes = 1L << 30;

    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries;

    private SafetensorsFile(string path, byte[] bytes, long dataStart, Dictionary<string, Entry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _bytes = bytes;
        _dataStart = dataStart;
        _entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IEnumerable<string> TensorNames => _entries.Keys;

    public static SafetensorsFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelSetException(ModelSetErrorReason.MissingFile, $"{path} does not exist; check the manifest's file name or re-run the export.", path);
        }

        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw Corrupt(path, $"it is {length} bytes, more than the {MaxFileBytes} this reads");
        }

        return Parse(path, File.ReadAllBytes(path));
    }

    public static SafetensorsFile Parse(string path, byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw Corrupt(path, "it is shorter than the 8-byte header length");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8) || headerLength > MaxHeaderBytes)
        {
            throw Corrupt(path, $"its header length {headerLength} exceeds the file");
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var dataLength = bytes.Length - 8 - (long)headerLength;
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                var dtype = property.Value.GetProperty("dtype").GetString() ?? string.Empty;
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                {
                    throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path}: tensor '{property.Name}' has data offsets outside the file; re-export it.", path, property.Name);
                }

                var elementSize = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => 0 };
                var count = shape.Aggregate(1L, (a, d) => d < 0 ? -1 : checked(a * d));
                if (elementSize != 0 && count * elementSize != offsets[1] - offsets[0])
                {
                    throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path}: tensor '{property.Name}' has shape [{string.Join(",", shape)}] but {offsets[1] - offsets[0]} bytes of {dtype}; re-export it.", path, property.Name);
                }

                entries[property.Name] = new Entry(dtype, shape, offsets[0], offsets[1] - offsets[0]);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
        {
            throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path} is not a safetensors file: its header is not valid ({SafeText.Escape(ex.Message, 300)}).", path, innerException: ex);
        }

        return new SafetensorsFile(path, bytes, 8 + (long)headerLength, entries, metadata);
    }

    /// <summary>The shape of <paramref name="name"/>, or null when absent.</summary>
    public IReadOnlyList<long>? ShapeOf(string name) => _entries.TryGetValue(name, out var entry) ? entry.Shape : null;

    /// <summary>
    /// Reads tensor <paramref name="name"/> as float32, checking it has <paramref name="expectedShape"/>
    /// (-1 accepts any size in that dimension).
    /// </summary>
    public float[] ReadFloats(string name, params long[] expectedShape)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{Path} has no tensor '{name}' (it has {string.Join(", ", _entries.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}); re-export the weights.", Path, name);
        }

        var shapeMatches = entry.Shape.Length == expectedShape.Length && entry.Shape.Zip(expectedShape).All(p => p.Second < 0 || p.First == p.Second);
        if (!shapeMatches)
        {
            throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{Path}: tensor '{name}' has shape [{string.Join(",", entry.Shape)}], expected [{string.Join(",", expectedShape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}].", Path, name);
        }

        var data = _bytes.AsSpan((int)(_dataStart + entry.Offset), (int)entry.Length);
        switch (entry.DType)
        {
            case "F32":
                var floats = new float[data.Length / 4];
                for (var i = 0; i < floats.Length; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                }

                return floats;
            case "F16":
                var halves = new float[data.Length / 2];
                for (var i = 0; i < halves.Length; i++)
                {
                    halves[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                }

                return halves;
            case "BF16":
                var bf = new float[data.Length / 2];
                for (var i = 0; i < bf.Length; i++)
                {
                    bf[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]) << 16);
                }

                return bf;
            default:
                throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{Path}: tensor '{name}' is {entry.DType}; only F32, F16 and BF16 are read. Save it as float32.", Path, name);
        }
    }

    private static ModelSetException Corrupt(string path, string why) =>
        new(ModelSetErrorReason.CorruptFile, $"{path} is not a safetensors file: {why}.", path);

    private sealed record Entry(string DType, long[] Shape, long Offset, long Length);
}
