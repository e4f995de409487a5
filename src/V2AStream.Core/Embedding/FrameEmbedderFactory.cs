using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Embedding;

/// <summary>Builds the embedder a model set's manifest names.</summary>
public static class FrameEmbedderFactory
{
    /// <summary>
    /// The embedder of <paramref name="set"/>: <see cref="BuiltinPixelEmbedder"/> for builtin-pixel (no runtime needed),
    /// <see cref="OnnxImageEmbedder"/> for onnx-image, its file found through <paramref name="catalog"/> and opened with
    /// <paramref name="sessions"/> (so on its device).
    /// Throws <see cref="ModelSetException"/> saying what is missing or does not match.
    /// </summary>
    public static IFrameEmbedder Create(ModelSetManifest set, ModelSetCatalog catalog, OrtSessionFactory? sessions, FrameEmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(catalog);
        var spec = set.Embedder;
        switch (spec.Kind)
        {
            case EmbedderSpec.BuiltinPixelKind:
                return new BuiltinPixelEmbedder();
            case EmbedderSpec.OnnxImageKind:
                if (string.IsNullOrEmpty(spec.File))
                {
                    throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"Model set '{set.Name}': the onnx-image embedder needs \"file\".", set.Directory);
                }

                var path = catalog.ResolveFile(set, spec.File);
                if (sessions is null)
                {
                    throw new ModelSetException(ModelSetErrorReason.RuntimeUnavailable, $"Model set '{set.Name}' needs ONNX Runtime, which is not loaded: run './v2a doctor', or use --model-set builtin.", path);
                }

                return OnnxImageEmbedder.Create(sessions, spec, path, options);
            default:
                throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"Model set '{set.Name}': embedder kind '{spec.Kind}' is unknown; use builtin-pixel or onnx-image.", set.Directory);
        }
    }
}
