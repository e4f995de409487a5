using System.Threading.Channels;
using V2AStream.Core.Generation;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// Hands each block to the model set's <see cref="GenerationScheduler"/> through this stream's lane and passes the
/// pending results on in plan order: the stitch stage awaits them one by one, so a slow block holds back the blocks
/// after it but never reorders them. How many blocks wait at once is bounded by the output channel's capacity; how many
/// run at once, over all streams, by the scheduler. When the generator continues scenes, each block of a scene after its
/// first is submitted after the one before it, with the scene's <see cref="BlockContinuation"/>, so it goes on from that
/// block's sound.
/// </summary>
internal sealed class GenerateStage(GenerationLane lane, bool continueScenes)
{
    private long _generated;
    private (PlanItem.Generate Item, GenerationJob Job, BlockContinuation Continuation)? _previous;

    public long BlocksGenerated => Interlocked.Read(ref _generated);

    public async Task RunAsync(ChannelReader<PlanItem> input, ChannelWriter<Task<GeneratedItem>> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var pending = item is PlanItem.Generate job
                    ? Submit(job)
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

    private Task<GeneratedItem> Submit(PlanItem.Generate item)
    {
        if (!continueScenes)
        {
            return CompleteAsync(item, lane.Submit(new BlockRequest(item.Condition, item.Block.Multiple, item.Seed)), continues: false);
        }

        // Within a scene blocks follow each other a nominal length apart; the planner starts a new scene at a cut.
        var continues = _previous is { } previous
            && previous.Item.Block.SceneIndex == item.Block.SceneIndex
            && previous.Item.Block.StartSample + previous.Item.Block.NominalSamples == item.Block.StartSample;
        var continuation = continues ? _previous!.Value.Continuation : new BlockContinuation();
        var job = lane.Submit(new BlockRequest(item.Condition, item.Block.Multiple, item.Seed, continuation), continues ? _previous!.Value.Job : null);
        _previous = (item, job, continuation);
        return CompleteAsync(item, job, continues);
    }

    private async Task<GeneratedItem> CompleteAsync(PlanItem.Generate item, GenerationJob job, bool continues)
    {
        var samples = await job.Completion.ConfigureAwait(false);
        Interlocked.Increment(ref _generated);
        return new GeneratedItem(item, samples, continues);
    }
}
