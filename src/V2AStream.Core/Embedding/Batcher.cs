using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace V2AStream.Core.Embedding;

/// <summary>
/// Groups a channel's items into batches of at most <c>maxBatchSize</c>, released early once <c>maxWait</c> has passed
/// since the batch's first item arrived: a live stream at 4 fps is never held back to fill a batch of 8, while a
/// file read faster than real time still fills whole batches.
/// </summary>
public static class Batcher
{
    /// <summary>The batches of <paramref name="reader"/>, in order, until it completes (the last may be short).</summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> ReadBatchesAsync<T>(
        ChannelReader<T> reader, int maxBatchSize, TimeSpan maxWait, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var batch = new List<T>(maxBatchSize);
            Drain(reader, batch, maxBatchSize);
            if (batch.Count < maxBatchSize && maxWait > TimeSpan.Zero)
            {
                await FillUntilAsync(reader, batch, maxBatchSize, maxWait, cancellationToken).ConfigureAwait(false);
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    private static async Task FillUntilAsync<T>(ChannelReader<T> reader, List<T> batch, int maxBatchSize, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(maxWait);
        try
        {
            while (batch.Count < maxBatchSize && await reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                Drain(reader, batch, maxBatchSize);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // maxWait passed: release what we have.
        }
        catch (Exception) when (batch.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            // The channel completed with a failure: release what was read before it; the next wait reports the failure.
        }
    }

    private static void Drain<T>(ChannelReader<T> reader, List<T> batch, int maxBatchSize)
    {
        while (batch.Count < maxBatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }
}
