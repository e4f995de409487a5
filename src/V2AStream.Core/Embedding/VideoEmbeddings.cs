using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;

namespace V2AStream.Core.Embedding;

/// <summary>
/// Every sampled frame of a source, embedded: the offline path of <c>v2a embed</c> and <c>v2a scenes</c>.
/// A truncated or damaged input keeps the frames read before the damage, and <see cref="Damage"/> says what happened.
/// </summary>
/// <param name="Embeddings">[frames, embedder dimension], in frame order.</param>
/// <param name="Timestamps">Each frame's media time in seconds.</param>
public sealed record VideoEmbeddings(NpyArray Embeddings, IReadOnlyList<double> Timestamps, MediaException? Damage)
{
    /// <summary>Reads <paramref name="source"/> with <paramref name="reader"/> (its geometry must be the embedder's) and embeds it in batches.</summary>
    public static Task<VideoEmbeddings> EmbedAsync(MediaSource source, FrameReader reader, IFrameEmbedder embedder, CancellationToken cancellationToken) =>
        EmbedAsync(source, reader, embedder, null, cancellationToken);

    /// <summary>The same, reporting the media time of each frame read to <paramref name="mediaSeconds"/> (a progress display).</summary>
    public static async Task<VideoEmbeddings> EmbedAsync(MediaSource source, FrameReader reader, IFrameEmbedder embedder, IProgress<double>? mediaSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(embedder);
        var defaults = new PipelineOptions();
        var stage = new FrameEmbeddingStage(embedder, defaults.MaxEmbedWait);
        var embeddings = new List<float>();
        var timestamps = new List<double>();
        MediaException? damage = null;
        try
        {
            await foreach (var frame in stage.EmbedAllAsync(reader.ReadFramesAsync(source, cancellationToken), defaults.ChannelCapacity, cancellationToken).ConfigureAwait(false))
            {
                embeddings.AddRange(frame.Vector);
                timestamps.Add(frame.TimeSeconds);
                mediaSeconds?.Report(frame.TimeSeconds);
            }
        }
        catch (MediaException ex) when (ex.EndedInputEarly)
        {
            // Like ffmpeg on a cut-off file: keep what was read, and say so.
            damage = ex;
        }

        return new VideoEmbeddings(new NpyArray(timestamps.Count, embedder.Dim, [.. embeddings]), timestamps, damage);
    }
}
