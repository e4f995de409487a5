using V2AStream.Core.Models;

namespace V2AStream.Core.Tests.Models;

/// <summary>The built-in set through the loader, as the CLI and the daemon load it (no files, no ONNX Runtime).</summary>
internal static class BuiltinSet
{
    public static Task<LoadedModelSet> LoadAsync(ModelSetLoaderOptions? options = null) =>
        new ModelSetLoader(new ModelSetCatalog([], []), options).LoadAsync(ModelSetManifest.BuiltinName, CancellationToken.None);
}
