using System.Threading.Channels;
using V2AStream.Core.Generation;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// Hands each block to the model set's <see cref="GenerationScheduler"/> through this stream's lane and passes the
/// pending results on in plan order: the stitch stage awaits them one by one, so a slow block holds back the blocks
/// after it but never reorders them. How many blocks wait at once is bounded by the output channel's capacity; how many
/// run at once, over all streams, by the scheduler.
/// </summary>
internal sealed class GenerateStage(GenerationLane lane)
{
    private long _generated;

    public long BlocksGenerated => Interlocked.Read(ref _generated);

    public async Task RunAsync(ChannelReader<PlanItem> input, ChannelWriter<Task<GeneratedItem>> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var pending = item is PlanItem.Generate job
                    ? CompleteAsync(job, lane.Submit(new BlockRequest(job.Condition, job.Block.Multiple, job.Seed)))
                    : Task.FromResult(new GeneratedItem(item, []));
                await output.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
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
        }
    }

    private async Task<GeneratedItem> CompleteAsync(PlanItem.Generate item, GenerationJob job)
    {
        var samples = await job.Completion.ConfigureAwait(false);
        Interlocked.Increment(ref _generated);
        return new GeneratedItem(item, samples);
    }
}
