using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;

namespace V2AStream.Core.Tests.Scenes;

/// <summary>A clip's frame embeddings the way the pipeline makes them: <see cref="FrameReader"/> at a sample rate, then a model set's embedder.</summary>
internal static class ClipEmbeddings
{
    /// <summary>The model set whose embedder is MobileNetV2 (its weights come from ../shared/data/models).</summary>
    public const string MobileNet = "mobilenet";

    public const string Builtin = "builtin";

    /// <summary>Where the MobileNetV2 weights must be for the <see cref="MobileNet"/> set to load.</summary>
    public const string MobileNetWeights = "models/mobilenetv2-12-int8-embedding.onnx";

    /// <summary>Row-major [frames, dimension] embeddings of <paramref name="path"/> sampled at <paramref name="framesPerSecond"/>.</summary>
    public static async Task<(float[] Embeddings, int Dimension)> EmbedAsync(string modelSet, string path, double framesPerSecond, CancellationToken cancellationToken)
    {
        await using var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(modelSet, [ModelPartSlot.Embedder], cancellationToken);
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = framesPerSecond, Geometry = set.Embedder.Geometry });
        var result = await VideoEmbeddings.EmbedAsync(MediaSource.FromFile(path), reader, set.Embedder, cancellationToken);
        return (result.Embeddings.Data, set.Embedder.Dim);
    }
}
