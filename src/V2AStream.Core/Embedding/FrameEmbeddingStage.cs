using System.Threading.Channels;
using System.Diagnostics;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;

namespace V2AStream.Core.Embedding;

/// <summary>
/// The pipeline's embed stage: frames in, embeddings out, in order, batched by <see cref="Batcher"/>. It owns the
/// frames it reads (disposes each once embedded) and completes <c>output</c> with the failure, if any.
/// </summary>
public sealed class FrameEmbeddingStage(IFrameEmbedder embedder, TimeSpan maxWait, IPipelineMetrics? metrics = null)
{
    private readonly IPipelineMetrics _metrics = metrics ?? NullPipelineMetrics.Instance;

    public async Task RunAsync(ChannelReader<VideoFrame> input, ChannelWriter<FrameEmbedding> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Exception? failure = null;
        try
        {
            await foreach (var batch in Batcher.ReadBatchesAsync(input, embedder.MaxBatchSize, maxWait, cancellationToken).ConfigureAwait(false))
            {
                float[] flat;
                try
                {
                    flat = new float[batch.Count * embedder.Dim];
                    var started = Stopwatch.GetTimestamp();
                    await embedder.EmbedAsync(batch, flat, cancellationToken).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    _metrics.OnModelRun("embedder", elapsed);
                    _metrics.OnStageWork("embed", elapsed);
                }
                finally
                {
                    foreach (var frame in batch)
                    {
                        frame.Dispose();
                    }
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var vector = flat.AsSpan(i * embedder.Dim, embedder.Dim).ToArray();
                    await output.WriteAsync(new FrameEmbedding(batch[i].Index, batch[i].TimeSeconds, vector), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
            while (input.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }
}
