namespace V2AStream.Onnx.Cuda;

/// <summary>Whether CUDA can run sessions on one GPU; <see cref="Detail"/> says what was found, or exactly what is missing and how to get it.</summary>
public sealed record CudaStatus(bool Usable, string Detail);
