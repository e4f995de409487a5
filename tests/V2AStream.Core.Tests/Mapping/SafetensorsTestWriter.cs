using V2AStream.Core.Mapping;

namespace V2AStream.Core.Tests.Mapping;

/// <summary>Writes F32 safetensors files for tests through the program's own <see cref="SafetensorsWriter"/>; the reader
/// is also tested on files NumPy wrote (tests/reference/prototype_*.safetensors).</summary>
internal static class SafetensorsTestWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, float[] Data, long[] Shape)> tensors, IDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(
            path,
            tensors.Select(t => new SafetensorsTensor(t.Name, t.Data, t.Shape)).ToArray(),
            metadata is null ? null : new Dictionary<string, string>(metadata));
}
