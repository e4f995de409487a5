using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;

namespace V2AStream.Running;

/// <summary>A model set resolved by name, its parts built, and the ONNX Runtime it needs (loaded only when it needs one).</summary>
internal sealed class LoadedModelSet : IDisposable
{
    private LoadedModelSet(ModelSetManifest manifest, PipelineComponents components, OrtRuntime? runtime)
    {
        Manifest = manifest;
        Components = components;
        Runtime = runtime;
    }

    public ModelSetManifest Manifest { get; }

    public PipelineComponents Components { get; }

    public OrtRuntime? Runtime { get; }

    /// <summary>Resolves <paramref name="nameOrPath"/> (builtin, a name under models/, or a folder) and builds its parts.</summary>
    public static LoadedModelSet Load(string nameOrPath, ModelSetCatalog catalog)
    {
        var manifest = catalog.Resolve(nameOrPath);
        var runtime = manifest.NeedsOnnxRuntime ? OrtRuntime.Load() : null;
        try
        {
            return new LoadedModelSet(manifest, PipelineComponents.Create(manifest, catalog, runtime), runtime);
        }
        catch
        {
            runtime?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Components.Dispose();
        Runtime?.Dispose();
    }
}
