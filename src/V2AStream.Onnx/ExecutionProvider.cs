namespace V2AStream.Onnx;

/// <summary>Where a session runs its kernels.</summary>
public enum ExecutionProvider
{
    Cpu,

    /// <summary>NVIDIA CUDA; needs libonnxruntime_providers_cuda.so and _shared.so next to the library.</summary>
    Cuda,
}
