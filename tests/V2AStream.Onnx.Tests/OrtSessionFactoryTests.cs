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
        var runtime = ort.Sessions.Runtime;
        Assert.Equal("1.31.1", runtime.Version);
        Assert.Contains("CPUExecutionProvider", runtime.Providers);
        Assert.EndsWith("libonnxruntime.so", runtime.LibraryPath, StringComparison.Ordinal);
        Assert.True(File.Exists(runtime.LibraryPath));
    }

    [Fact]
    public void Create_CudaOnThisMachine_FailsWithOneLineSayingWhyAndTheWayOut()
    {
        // This project's machines have no GPU and build the CPU flavour: the request must fail with the reason, not crash.
        var error = Assert.Throws<OrtException>(() => OrtSessionFactory.Create(OrtDevice.Cuda(0)));
        Assert.Equal(OrtErrorCode.ProviderUnavailable, error.Code);
        Assert.StartsWith("Device cuda:0 is not usable: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(CudaProbe.ProviderLibrary, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Or run on the CPU with --device cpu.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void CreateIfNeeded_CpuWithoutOnnxModels_LoadsNothing()
    {
        Assert.Null(OrtSessionFactory.CreateIfNeeded(runsOnnxModels: false, OrtDevice.Cpu));
        Assert.NotNull(OrtSessionFactory.CreateIfNeeded(runsOnnxModels: true, OrtDevice.Cpu));
    }

    [Fact]
    public void CreateIfNeeded_CudaWithoutOnnxModels_StillChecksTheDevice()
    {
        Assert.Throws<OrtException>(() => OrtSessionFactory.CreateIfNeeded(runsOnnxModels: false, OrtDevice.Cuda(0)));
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
