using System.Threading.Channels;
using V2AStream.Core.Embedding;

namespace V2AStream.Core.Tests.Embedding;

public sealed class BatcherTests
{
    [Fact]
    public async Task ReadBatchesAsync_ItemsAlreadyWaiting_GivesFullBatchesThenTheRest()
    {
        var channel = Channel.CreateUnbounded<int>();
        for (var i = 0; i < 10; i++)
        {
            channel.Writer.TryWrite(i);
        }

        channel.Writer.Complete();

        var batches = new List<IReadOnlyList<int>>();
        await foreach (var batch in Batcher.ReadBatchesAsync(channel.Reader, 4, TimeSpan.FromSeconds(30)))
        {
            batches.Add(batch);
        }

        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b));
    }

    [Fact]
    public async Task ReadBatchesAsync_LiveSourceSlowerThanTheBatch_ReleasesAPartialBatchAfterMaxWait()
    {
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = Batcher.ReadBatchesAsync(channel.Reader, 8, TimeSpan.FromMilliseconds(50)).GetAsyncEnumerator();

        channel.Writer.TryWrite(1);

        // The writer stays open (a live stream): the first frame must still come out, alone.
        Assert.True(await batches.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([1], batches.Current);

        channel.Writer.TryWrite(2);
        channel.Writer.TryWrite(3);
        Assert.True(await batches.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([2, 3], batches.Current);
        channel.Writer.Complete();
        Assert.False(await batches.MoveNextAsync());
    }
}
