using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Cuda;
using V2AStream.Testing;

namespace V2AStream.Onnx.Tests;

[Collection(OrtCollection.Name)]
public sealed class OrtSessionFactoryTests(OrtSessionsFixture ort)
{
    [Fact]
    public void Runtime_IsThePackagesReleaseWithTheCpuProviderAndItsLibrary()
    {
        // The CPU package is 1.31.1; the CUDA build's natives are 1.31.0 (the newest GPU release served).
        var runtime = ort.Sessions.Runtime;
        Assert.Equal(runtime.Providers.Contains(CudaProbe.ProviderName) ? "1.31.0" : "1.31.1", runtime.Version);
        Assert.Contains("CPUExecutionProvider", runtime.Providers);
        Assert.EndsWith("libonnxruntime.so", runtime.LibraryPath, StringComparison.Ordinal);
        Assert.True(File.Exists(runtime.LibraryPath));
    }

    [Fact]
    public void Create_CudaWhereCudaIsNotUsable_FailsWithOneLineSayingWhyAndTheWayOut()
    {
        // On this project's machines (no GPU) this is the CPU build's reason, or in the CUDA build the driver's:
        // either way a one-line reason, never a crash. Where CUDA works, the factory must be made.
        var status = new CudaProbe().Check(ort.Sessions.Runtime, 0);
        if (status.Usable)
        {
            Assert.Equal(OrtDevice.Cuda(0), OrtSessionFactory.Create(OrtDevice.Cuda(0)).Device);
            return;
        }

        var error = Assert.Throws<OrtException>(() => OrtSessionFactory.Create(OrtDevice.Cuda(0)));
        Assert.Equal(OrtErrorCode.ProviderUnavailable, error.Code);
        Assert.StartsWith("Device cuda:0 is not usable: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(status.Detail, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Or run on the CPU with --device cpu.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        if (!ort.Sessions.Runtime.Providers.Contains(CudaProbe.ProviderName))
        {
            Assert.Contains($"this is the CPU build of ONNX Runtime ({CudaProbe.ProviderLibrary} is not in", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CreateIfNeeded_CudaWithoutOnnxModels_StillChecksTheDevice()
    {
        if (!new CudaProbe().Check(ort.Sessions.Runtime, 0).Usable)
        {
            Assert.Throws<OrtException>(() => OrtSessionFactory.CreateIfNeeded(runsOnnxModels: false, OrtDevice.Cuda(0)));
        }
    }

    [Fact]
    public void CreateIfNeeded_CpuWithoutOnnxModels_LoadsNothing()
    {
        Assert.Null(OrtSessionFactory.CreateIfNeeded(runsOnnxModels: false, OrtDevice.Cpu));
        Assert.NotNull(OrtSessionFactory.CreateIfNeeded(runsOnnxModels: true, OrtDevice.Cpu));
    }

    [Fact]
    public void AllocateTensor_OnTheCpu_IsAFloatTensorOfTheShape()
    {
        using var session = ort.Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        using var tensor = session.AllocateTensor(2, 8, 3);
        var info = tensor.GetTensorTypeAndShape();
        Assert.Equal(TensorElementType.Float, info.ElementDataType);
        Assert.Equal([2L, 8L, 3L], info.Shape);
    }
}
