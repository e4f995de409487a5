using V2AStream.Testing;

namespace V2AStream.Onnx.Tests;

[Collection(OrtCollection.Name)]
public sealed class OrtRuntimeTests(OrtRuntimeFixture ort)
{
    [Fact]
    public void Version_IsThePinnedRelease()
    {
        Assert.Equal(OrtLibraryLocator.PinnedVersion, ort.Runtime.Version);
    }

    [Fact]
    public void GetAvailableProviders_ListsCpu()
    {
        Assert.Contains("CPUExecutionProvider", ort.Runtime.GetAvailableProviders());
    }

    [Fact]
    public void LoadFrom_MissingFile_ThrowsLibraryNotFound()
    {
        var error = Assert.Throws<OrtException>(() => OrtRuntime.LoadFrom("/nonexistent/libonnxruntime.so.1"));
        Assert.Equal(OrtErrorCode.LibraryNotFound, error.Code);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFrom_NotALibrary_ThrowsLibraryNotFoundSayingWhatToDo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-fake-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "this is not an ELF file");
        try
        {
            var error = Assert.Throws<OrtException>(() => OrtRuntime.LoadFrom(path));
            Assert.Equal(OrtErrorCode.LibraryNotFound, error.Code);
            Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_SessionOutlivesDisposedRuntime_StillRuns()
    {
        var runtime = OrtRuntime.LoadFrom(ort.Runtime.LibraryPath);
        using var session = InferenceSession.Create(runtime, TestModels.Identity(TensorElementType.Float));
        runtime.Dispose();
        using var result = session.Run([OrtInput.Create<float>("x", new float[] { 2 }, 1, 1)]);
        Assert.Equal([2f], result["y"].ToArray<float>());
    }
}
