using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;

namespace V2AStream.Running;

/// <summary>A model set resolved by name and its parts built, its ONNX models (if any) on one device.</summary>
internal sealed class LoadedModelSet : IDisposable
{
    private LoadedModelSet(ModelSetManifest manifest, PipelineComponents components)
    {
        Manifest = manifest;
        Components = components;
    }

    public ModelSetManifest Manifest { get; }

    public PipelineComponents Components { get; }

    /// <summary>
    /// Resolves <paramref name="nameOrPath"/> (builtin, a name under models/, or a folder) and builds its parts on
    /// <paramref name="device"/>; a device that cannot run here fails with an <see cref="OrtException"/> saying why.
    /// </summary>
    public static LoadedModelSet Load(string nameOrPath, ModelSetCatalog catalog, OrtDevice device)
    {
        var manifest = catalog.Resolve(nameOrPath);
        var sessions = OrtSessionFactory.CreateIfNeeded(manifest.NeedsOnnxRuntime, device);
        return new LoadedModelSet(manifest, PipelineComponents.Create(manifest, catalog, sessions));
    }

    public void Dispose() => Components.Dispose();
}
