using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Embedding;

/// <summary>
/// A model set's embedder alone, with ONNX Runtime loaded only when it needs one: what the offline paths
/// (<c>v2a embed</c>, <c>v2a scenes</c>) use without building the set's mapper and generator.
/// </summary>
public sealed class ModelSetEmbedder : IDisposable
{
    private ModelSetEmbedder(ModelSetManifest set, IFrameEmbedder embedder)
    {
        Set = set;
        Embedder = embedder;
    }

    public ModelSetManifest Set { get; }

    public IFrameEmbedder Embedder { get; }

    /// <summary>
    /// Resolves <paramref name="nameOrPath"/> in <paramref name="catalog"/> and builds its embedder on <paramref name="device"/>;
    /// throws <see cref="ModelSetException"/> or <see cref="OrtException"/> saying why not (a device that cannot run here
    /// fails even for an embedder without ONNX models).
    /// </summary>
    public static ModelSetEmbedder Load(string nameOrPath, ModelSetCatalog catalog, OrtDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var set = catalog.Resolve(nameOrPath);
        var sessions = OrtSessionFactory.CreateIfNeeded(set.Embedder.Kind == EmbedderSpec.OnnxImageKind, device ?? OrtDevice.Cpu);
        return new ModelSetEmbedder(set, FrameEmbedderFactory.Create(set, catalog, sessions));
    }

    /// <summary>Frame reader settings that deliver frames the way this embedder wants them, at <paramref name="framesPerSecond"/>.</summary>
    public FrameReaderOptions ReaderOptions(double framesPerSecond) =>
        new() { SampleFps = framesPerSecond, Geometry = Embedder.Geometry };

    public void Dispose() => Embedder.Dispose();
}
