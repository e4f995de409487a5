using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;

namespace V2AStream.Core.Embedding;

/// <summary>
/// The one embedding loop: frames in, embeddings out, in order, batched by <see cref="Batcher"/>. The pipeline runs it
/// as its embed stage (<see cref="RunAsync"/>); the offline paths and the daemon's scenes-only call run it over a
/// frame source (<see cref="EmbedAllAsync"/>). It owns the frames it reads (disposes each once embedded) and completes
/// its output with the failure, if any.
/// </summary>
public sealed class FrameEmbeddingStage(IFrameEmbedder embedder, TimeSpan maxWait, IPipelineMetrics? metrics = null)
{
    private readonly IPipelineMetrics _metrics = metrics ?? NullPipelineMetrics.Instance;

    /// <summary>
    /// The embeddings of <paramref name="frames"/>, in order: the pipeline's <see cref="IngestStage"/> reads the frames into
    /// a bounded channel of <paramref name="capacity"/> while this stage embeds them in batches. A failure of the source comes out after the
    /// embeddings of every frame read before it. Stopping the enumeration stops the source and waits for it.
    /// </summary>
    public async IAsyncEnumerable<FrameEmbedding> EmbedAllAsync(IAsyncEnumerable<VideoFrame> frames, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var embedded = Channel.CreateBounded<FrameEmbedding>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var ingest = new IngestStage(new FrameArrivals(), TimeProvider.System, _metrics);
        var work = Task.WhenAll(ingest.RunAsync(frames, read.Writer, stop.Token), RunAsync(read.Reader, embedded.Writer, stop.Token));
        try
        {
            await foreach (var embedding in embedded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return embedding;
            }

            // The ingest stage ends a truncated or damaged input like a finished one (the pipeline makes audio for what
            // decoded); here the caller decides, so the reader's error follows the last embedding.
            if (ingest.EndedEarlyBy is { } endedEarly)
            {
                ExceptionDispatchInfo.Throw(endedEarly);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(work).ConfigureAwait(false);
            _ = work.Exception;
            while (read.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }

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
