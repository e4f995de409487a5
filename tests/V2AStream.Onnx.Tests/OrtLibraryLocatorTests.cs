namespace V2AStream.Onnx.Tests;

public sealed class OrtLibraryLocatorTests
{
    [Fact]
    public void Candidates_WithVariableSet_UsesOnlyThatPath()
    {
        var locator = new OrtLibraryLocator(name => name == OrtLibraryLocator.LibraryVariable ? "/opt/ort/libonnxruntime.so.1" : null, "/app");
        Assert.Equal(["/opt/ort/libonnxruntime.so.1"], locator.Candidates().Select(c => c.Path));
    }

    [Fact]
    public void Candidates_WithoutVariable_AppFolderThenCache()
    {
        var locator = new OrtLibraryLocator(name => name == "HOME" ? "/home/u" : null, "/app");
        Assert.Equal(
            ["/app/libonnxruntime.so.1", $"/home/u/.cache/v2astream/onnxruntime/{OrtLibraryLocator.PinnedVersion}/libonnxruntime.so.1"],
            locator.Candidates().Select(c => c.Path));
    }

    [Fact]
    public void CacheDirectory_HonoursV2aCacheDirThenXdg()
    {
        Assert.StartsWith("/c/onnxruntime/", new OrtLibraryLocator(n => n == "V2A_CACHE_DIR" ? "/c" : null, "/app").CacheDirectory, StringComparison.Ordinal);
        Assert.StartsWith("/x/v2astream/onnxruntime/", new OrtLibraryLocator(n => n == "XDG_CACHE_HOME" ? "/x" : null, "/app").CacheDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NothingFound_ListsEveryPlaceAndTheFix()
    {
        var locator = new OrtLibraryLocator(name => name == "V2A_CACHE_DIR" ? "/nonexistent-cache" : null, "/nonexistent-app");
        var error = Assert.Throws<OrtException>(locator.Locate);
        Assert.Equal(OrtErrorCode.LibraryNotFound, error.Code);
        Assert.Contains("/nonexistent-app/libonnxruntime.so.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent-cache/onnxruntime/", error.Message, StringComparison.Ordinal);
        Assert.Contains("V2A_ORT_LIB", error.Message, StringComparison.Ordinal);
    }
}
