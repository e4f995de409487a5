using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace V2AStream.Core.Tests.Mapping;

/// <summary>Writes F32 safetensors files for tests (the format: u64 header length, JSON header, raw LE data).</summary>
internal static class SafetensorsTestWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, float[] Data, long[] Shape)> tensors, IDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is not null)
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var (name, data, shape) in tensors)
        {
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + (4L * data.Length) } };
            offset += 4L * data.Length;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        var buffer = new byte[4];
        foreach (var (_, data, _) in tensors)
        {
            foreach (var value in data)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
                stream.Write(buffer);
            }
        }
    }
}
