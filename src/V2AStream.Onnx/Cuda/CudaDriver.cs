using System.Runtime.InteropServices;

namespace V2AStream.Onnx.Cuda;

/// <summary>Asks the NVIDIA driver (libcuda.so.1, the driver API) whether it starts, which CUDA it supports and how many GPUs it sees.</summary>
internal static unsafe class CudaDriver
{
    public const string LibraryName = "libcuda.so.1";

    /// <summary>The driver's answers, or null when libcuda.so.1 cannot be loaded.</summary>
    public static CudaDriverInfo? Query()
    {
        // Left loaded: ORT's CUDA provider loads the same driver library, and the driver is not built to be unloaded.
        if (!NativeLibrary.TryLoad(LibraryName, out var library))
        {
            return null;
        }

        var init = (delegate* unmanaged<uint, int>)NativeLibrary.GetExport(library, "cuInit");
        var getVersion = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(library, "cuDriverGetVersion");
        var getCount = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(library, "cuDeviceGetCount");
        var result = init(0);
        int version = 0, count = 0;
        _ = getVersion(&version);
        if (result == 0)
        {
            _ = getCount(&count);
        }

        return new CudaDriverInfo(result, version, count);
    }
}
