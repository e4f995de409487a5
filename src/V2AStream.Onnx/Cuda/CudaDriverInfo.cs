namespace V2AStream.Onnx.Cuda;

/// <summary>
/// What the NVIDIA driver says about this machine: cuInit's result (0 when it started), the CUDA version it supports
/// (e.g. 13000 for 13.0) and how many GPUs it sees.
/// </summary>
public sealed record CudaDriverInfo(int InitResult, int Version, int DeviceCount);
