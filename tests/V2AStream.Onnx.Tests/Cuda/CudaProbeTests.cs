using V2AStream.Onnx.Cuda;

namespace V2AStream.Onnx.Tests.Cuda;

/// <summary>Each reason CUDA can be unusable, in the order the provider needs things, with the driver and loader faked.</summary>
public sealed class CudaProbeTests : IDisposable
{
    private static readonly string[] GpuProviders = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"];
    private static readonly CudaDriverInfo GoodDriver = new(InitResult: 0, Version: 13000, DeviceCount: 2);
    private readonly string _gpuBuild = Directory.CreateTempSubdirectory("v2a-ort-gpu-").FullName;

    public CudaProbeTests() => File.WriteAllText(Path.Combine(_gpuBuild, CudaProbe.ProviderLibrary), string.Empty);

    public void Dispose() => Directory.Delete(_gpuBuild, recursive: true);

    [Fact]
    public void Check_CpuBuild_SaysSoAndHowToGetTheCudaBuild()
    {
        var cpuBuild = Directory.CreateTempSubdirectory("v2a-ort-cpu-").FullName;
        try
        {
            var status = Probe(GoodDriver).Check(cpuBuild, ["CPUExecutionProvider"], 0);
            Assert.False(status.Usable);
            Assert.Equal($"this is the CPU build of ONNX Runtime ({CudaProbe.ProviderLibrary} is not in {cpuBuild}): build the CUDA flavour with './v2a setup --gpu' (dotnet build -p:V2AGpu=true)", status.Detail);
        }
        finally
        {
            Directory.Delete(cpuBuild, recursive: true);
        }
    }

    [Fact]
    public void Check_NoDriver_NamesLibcuda()
    {
        var status = Probe(driver: null).Check(_gpuBuild, GpuProviders, 0);
        Assert.False(status.Usable);
        Assert.StartsWith("the NVIDIA driver is not installed (libcuda.so.1 cannot be loaded)", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, "CUDA_ERROR_NO_DEVICE")]
    [InlineData(34, "CUDA_ERROR_STUB_LIBRARY")]
    [InlineData(35, "CUDA_ERROR_INSUFFICIENT_DRIVER")]
    public void Check_DriverDoesNotStart_NamesCuInitsError(int result, string name)
    {
        var status = Probe(driver: new CudaDriverInfo(result, 13000, 0)).Check(_gpuBuild, GpuProviders, 0);
        Assert.False(status.Usable);
        Assert.Contains(name, status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DriverForCuda12_SaysCuda13IsNeeded()
    {
        var status = Probe(driver: new CudaDriverInfo(0, 12040, 1)).Check(_gpuBuild, GpuProviders, 0);
        Assert.False(status.Usable);
        Assert.StartsWith("the NVIDIA driver supports CUDA 12.4, and ONNX Runtime 1.31's CUDA provider needs CUDA 13.0", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GpuIndexBeyondTheDriversCount_SaysHowManyThereAre()
    {
        var status = Probe(GoodDriver).Check(_gpuBuild, GpuProviders, 2);
        Assert.False(status.Usable);
        Assert.StartsWith("GPU 2 does not exist: the driver sees 2 GPU(s)", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libcudart.so.13", "the CUDA 13 runtime")]
    [InlineData("libcublasLt.so.13", "cuBLASLt of CUDA 13")]
    [InlineData("libcudnn.so.9", "cuDNN 9 for CUDA 13")]
    public void Check_LibraryMissing_NamesItsFileAndWhatItIs(string missing, string what)
    {
        var status = Probe(GoodDriver, library => library != missing).Check(_gpuBuild, GpuProviders, 0);
        Assert.False(status.Usable);
        Assert.StartsWith($"{what} ({missing}) cannot be loaded", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EverythingThere_IsUsable()
    {
        var status = Probe(GoodDriver).Check(_gpuBuild, GpuProviders, 1);
        Assert.True(status.Usable);
        Assert.Equal("GPU 1 of 2, driver for CUDA 13.0, CUDA 13 libraries and cuDNN 9 found", status.Detail);
    }

    private static CudaProbe Probe(CudaDriverInfo? driver, Func<string, bool>? canLoad = null) =>
        new(canLoad ?? (_ => true), () => driver);
}
