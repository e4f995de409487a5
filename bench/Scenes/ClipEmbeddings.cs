using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;

namespace V2AStream.Bench.Scenes;

/// <summary>A clip's frame embeddings the way the pipeline makes them: <see cref="FrameReader"/> at a sample rate, then a model set's embedder.</summary>
internal static class ClipEmbeddings
{
    /// <summary>Row-major [frames, dimension] embeddings of <paramref name="path"/> sampled at <paramref name="framesPerSecond"/>.</summary>
    public static async Task<(float[] Embeddings, int Dimension)> EmbedAsync(string modelSet, string path, double framesPerSecond, CancellationToken cancellationToken)
    {
        var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(modelSet, [ModelPartSlot.Embedder], cancellationToken).ConfigureAwait(false);
        await using (set.ConfigureAwait(false))
        {
            var reader = new FrameReader(new FrameReaderOptions { SampleFps = framesPerSecond, Geometry = set.Embedder.Geometry });
            var result = await VideoEmbeddings.EmbedAsync(MediaSource.FromFile(path), reader, set.Embedder, cancellationToken).ConfigureAwait(false);
            return (result.Embeddings.Data, set.Embedder.Dim);
        }
    }
}
