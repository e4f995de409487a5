using System.Globalization;
using System.Runtime.InteropServices;

namespace V2AStream.Onnx.Cuda;

/// <summary>
/// Whether ORT's CUDA provider can run on a GPU here, and if not the first thing missing, checked in the order the
/// provider needs them: the provider library itself (absent from the CPU build), the NVIDIA driver (libcuda.so.1,
/// its CUDA version, the GPU), then the CUDA 13 libraries and cuDNN 9 that the provider loads. What
/// <c>v2a doctor</c> prints, and what a CUDA request on a machine without CUDA fails with, before ORT is asked.
/// </summary>
public sealed class CudaProbe
{
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";
    public const string ProviderName = "CUDAExecutionProvider";

    /// <summary>The driver's CUDA version the provider of ORT 1.31 needs (it is built with CUDA 13.0).</summary>
    public const int RequiredDriverVersion = 13000;

    /// <summary>
    /// The libraries ORT 1.31's CUDA provider loads: its NEEDED entries (readelf -d libonnxruntime_providers_cuda.so)
    /// and cuDNN and cuFFT, which it opens itself.
    /// </summary>
    public static IReadOnlyList<(string File, string What)> RuntimeLibraries { get; } =
    [
        ("libcudart.so.13", "the CUDA 13 runtime"),
        ("libcublas.so.13", "cuBLAS of CUDA 13"),
        ("libcublasLt.so.13", "cuBLASLt of CUDA 13"),
        ("libcurand.so.10", "cuRAND of CUDA 13"),
        ("libcufft.so.12", "cuFFT of CUDA 13"),
        ("libcudnn.so.9", "cuDNN 9 for CUDA 13"),
    ];

    private readonly Func<string, bool> _canLoad;
    private readonly Func<CudaDriverInfo?> _driver;

    public CudaProbe()
        : this(CanLoad, CudaDriver.Query)
    {
    }

    /// <param name="canLoad">Whether the dynamic loader can load a library by its soname.</param>
    /// <param name="driver">The driver's answers, or null when libcuda.so.1 cannot be loaded.</param>
    public CudaProbe(Func<string, bool> canLoad, Func<CudaDriverInfo?> driver)
    {
        _canLoad = canLoad;
        _driver = driver;
    }

    /// <summary>Checks GPU <paramref name="deviceId"/> with the ONNX Runtime this process runs.</summary>
    public CudaStatus Check(OrtRuntime runtime, int deviceId)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return Check(runtime.LibraryPath is { } path ? Path.GetDirectoryName(path) : null, runtime.Providers, deviceId);
    }

    /// <param name="ortFolder">The folder of libonnxruntime.so, where ORT looks for its provider libraries.</param>
    /// <param name="providers">The providers the library was built with.</param>
    /// <param name="deviceId">The GPU asked for.</param>
    public CudaStatus Check(string? ortFolder, IReadOnlyCollection<string> providers, int deviceId)
    {
        ArgumentNullException.ThrowIfNull(providers);
        if (ortFolder is null || !providers.Contains(ProviderName) || !File.Exists(Path.Combine(ortFolder, ProviderLibrary)))
        {
            return new CudaStatus(false, $"this is the CPU build of ONNX Runtime ({ProviderLibrary} is not in {ortFolder ?? "the program's folder"}): build the CUDA flavour with './v2a setup --gpu' (dotnet build -p:V2AGpu=true)");
        }

        var driver = _driver();
        if (driver is null)
        {
            return new CudaStatus(false, $"the NVIDIA driver is not installed ({CudaDriver.LibraryName} cannot be loaded): install an NVIDIA driver for CUDA 13 (580 or newer)");
        }

        if (driver.InitResult != 0)
        {
            return new CudaStatus(false, $"the NVIDIA driver did not start ({DescribeInitError(driver.InitResult)}): check nvidia-smi, and that this container was given the GPU");
        }

        if (driver.Version < RequiredDriverVersion)
        {
            return new CudaStatus(false, $"the NVIDIA driver supports CUDA {DescribeVersion(driver.Version)}, and ONNX Runtime 1.31's CUDA provider needs CUDA {DescribeVersion(RequiredDriverVersion)}: update the driver (580 or newer)");
        }

        if (deviceId >= driver.DeviceCount)
        {
            return new CudaStatus(false, $"GPU {deviceId} does not exist: the driver sees {driver.DeviceCount} GPU(s) (check CUDA_VISIBLE_DEVICES), use --device cuda:0");
        }

        foreach (var (file, what) in RuntimeLibraries)
        {
            if (!_canLoad(file))
            {
                return new CudaStatus(false, $"{what} ({file}) cannot be loaded: install it (NVIDIA's CUDA 13 and cuDNN 9 packages) and make it visible to the loader (ldconfig or LD_LIBRARY_PATH)");
            }
        }

        return new CudaStatus(true, $"GPU {deviceId} of {driver.DeviceCount}, driver for CUDA {DescribeVersion(driver.Version)}, CUDA 13 libraries and cuDNN 9 found");
    }

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static string DescribeVersion(int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version / 1000}.{version % 1000 / 10}");

    // Values of CUresult (cuda.h).
    private static string DescribeInitError(int result) => result switch
    {
        100 => "cuInit: CUDA_ERROR_NO_DEVICE, no GPU is visible",
        35 => "cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER, the kernel module is older than libcuda.so.1",
        34 => "cuInit: CUDA_ERROR_STUB_LIBRARY, libcuda.so.1 is the toolkit's stub, not the driver's",
        804 => "cuInit: CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
        999 => "cuInit: CUDA_ERROR_UNKNOWN",
        _ => string.Create(CultureInfo.InvariantCulture, $"cuInit: error {result}"),
    };
}
