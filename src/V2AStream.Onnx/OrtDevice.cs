using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace V2AStream.Onnx;

/// <summary>
/// Where ONNX Runtime runs a model set's sessions and keeps their tensors: the CPU, or CUDA GPU <see cref="Id"/>.
/// Written "cpu", "cuda" (GPU 0) or "cuda:N", as <c>--device</c> and <c>Daemon:Device</c> take it. Immutable.
/// </summary>
public sealed record OrtDevice
{
    private OrtDevice(OrtDeviceKind kind, int id)
    {
        Kind = kind;
        Id = id;
    }

    public static OrtDevice Cpu { get; } = new(OrtDeviceKind.Cpu, 0);

    public OrtDeviceKind Kind { get; }

    /// <summary>The CUDA device ordinal (0 for the CPU).</summary>
    public int Id { get; }

    public bool IsCpu => Kind == OrtDeviceKind.Cpu;

    public static OrtDevice Cuda(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return new OrtDevice(OrtDeviceKind.Cuda, id);
    }

    /// <summary>Parses "cpu", "cuda" or "cuda:N"; throws <see cref="FormatException"/> with a one-line message otherwise.</summary>
    public static OrtDevice Parse(string? text) =>
        TryParse(text, out var device) ? device : throw new FormatException($"Device '{text}' is not valid: use cpu, cuda or cuda:N (N is the GPU's index, 0 for the first).");

    public static bool TryParse(string? text, out OrtDevice device)
    {
        device = Cpu;
        var value = text?.Trim().ToLowerInvariant();
        if (value == "cpu")
        {
            return true;
        }

        if (value == "cuda")
        {
            device = Cuda(0);
            return true;
        }

        if (value is not null && value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            device = Cuda(id);
            return true;
        }

        return false;
    }

    public override string ToString() => IsCpu ? "cpu" : string.Create(CultureInfo.InvariantCulture, $"cuda:{Id}");

    /// <summary>ORT's description of this GPU's memory, for the allocator of a session that runs there.</summary>
    internal OrtMemoryInfo CreateGpuMemoryInfo() =>
        new(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, Id, OrtMemType.Default);
}
