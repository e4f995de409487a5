using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Embedding;

/// <summary>
/// A model set's embedder alone, with the ONNX Runtime it needs loaded only when it needs one: what the offline
/// paths (<c>v2a embed</c>, <c>v2a scenes</c>) use without building the set's mapper and generator.
/// </summary>
public sealed class ModelSetEmbedder : IDisposable
{
    private readonly OrtRuntime? _runtime;

    private ModelSetEmbedder(ModelSetManifest set, OrtRuntime? runtime, IFrameEmbedder embedder)
    {
        Set = set;
        _runtime = runtime;
        Embedder = embedder;
    }

    public ModelSetManifest Set { get; }

    public IFrameEmbedder Embedder { get; }

    /// <summary>Resolves <paramref name="nameOrPath"/> in <paramref name="catalog"/> and builds its embedder; throws <see cref="ModelSetException"/> or <see cref="OrtException"/> saying why not.</summary>
    public static ModelSetEmbedder Load(string nameOrPath, ModelSetCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var set = catalog.Resolve(nameOrPath);
        var runtime = set.Embedder.Kind == EmbedderSpec.OnnxImageKind ? OrtRuntime.Load() : null;
        try
        {
            return new ModelSetEmbedder(set, runtime, FrameEmbedderFactory.Create(set, catalog, runtime));
        }
        catch
        {
            runtime?.Dispose();
            throw;
        }
    }

    /// <summary>Frame reader settings that deliver frames the way this embedder wants them, at <paramref name="framesPerSecond"/>.</summary>
    public FrameReaderOptions ReaderOptions(double framesPerSecond) =>
        new() { SampleFps = framesPerSecond, Geometry = Embedder.Geometry };

    public void Dispose()
    {
        Embedder.Dispose();
        _runtime?.Dispose();
    }
}
