using System.Buffers.Binary;
using System.Text.Json;
using V2AStream.Core.Files;

namespace V2AStream.Core.Mapping;

/// <summary>
/// Writes float32 tensors in the safetensors format that <see cref="SafetensorsFile"/> reads (and the
/// huggingface/safetensors library writes): an 8-byte little-endian header length, a JSON header padded with
/// spaces to a multiple of 8 bytes, then the raw little-endian data of each tensor in order. The file is
/// written beside its final name and renamed into place, so a reader never sees half a file.
/// </summary>
internal static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name, row-major data, shape) and string <paramref name="metadata"/>.</summary>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var tensor in tensors)
        {
            var count = tensor.Shape.Aggregate(1L, (a, d) => checked(a * d));
            if (count != tensor.Data.Length)
            {
                throw new ArgumentException($"tensor '{tensor.Name}' has shape [{string.Join(",", tensor.Shape)}] but {tensor.Data.Length} values.", nameof(tensors));
            }

            header[tensor.Name] = new Dictionary<string, object>
            {
                ["dtype"] = "F32",
                ["shape"] = tensor.Shape,
                ["data_offsets"] = new[] { offset, offset + (4L * tensor.Data.Length) },
            };
            offset += 4L * tensor.Data.Length;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var headerBytes = new byte[(json.Length + 7) / 8 * 8];
        headerBytes.AsSpan().Fill((byte)' ');
        json.CopyTo(headerBytes, 0);

        using var output = OutputFile.Create(path);
        using (var stream = output.OpenWrite())
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            var buffer = new byte[1 << 16];
            foreach (var tensor in tensors)
            {
                WriteFloats(stream, tensor.Data.Span, buffer);
            }
        }

        output.Commit();
    }

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> values, byte[] buffer)
    {
        var perBuffer = buffer.Length / 4;
        for (var start = 0; start < values.Length; start += perBuffer)
        {
            var chunk = values.Slice(start, Math.Min(perBuffer, values.Length - start));
            for (var i = 0; i < chunk.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), chunk[i]);
            }

            stream.Write(buffer, 0, 4 * chunk.Length);
        }
    }
}
