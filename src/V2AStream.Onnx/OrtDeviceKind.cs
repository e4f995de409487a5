namespace V2AStream.Onnx;

/// <summary>The kinds of device ONNX Runtime can run our sessions on.</summary>
public enum OrtDeviceKind
{
    Cpu,

    /// <summary>An NVIDIA GPU through ORT's CUDA execution provider (the CUDA build only).</summary>
    Cuda,
}
