using System.Diagnostics;
using System.Threading.Channels;
using V2AStream.Core.Generation;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// Generates blocks, up to <see cref="PipelineOptions.GenerationParallelism"/> at once, and hands the
/// results on in plan order: each plan item becomes a task in a bounded channel that the stitch stage
/// awaits one by one, so a slow block holds back the blocks after it but never reorders them.
/// </summary>
internal sealed class GenerateStage(IAudioGenerator generator, int parallelism, IPipelineMetrics metrics)
{
    private long _generated;

    public long BlocksGenerated => Interlocked.Read(ref _generated);

    public async Task RunAsync(ChannelReader<PlanItem> input, ChannelWriter<Task<GeneratedItem>> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;

        // Not disposed here: blocks still generating release their slot after this loop has ended.
        // (SemaphoreSlim holds no unmanaged resource until AvailableWaitHandle is used, which it never is.)
        var slots = new SemaphoreSlim(parallelism, parallelism);
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item is not PlanItem.Generate job)
                {
                    await output.WriteAsync(Task.FromResult(new GeneratedItem(item, [])), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var task = GenerateAsync(job, slots, cancellationToken);
                await output.WriteAsync(task, cancellationToken).ConfigureAwait(false);
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

    private async Task<GeneratedItem> GenerateAsync(PlanItem.Generate job, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            // Generation is CPU-bound model work: keep it off the stage's own loop.
            var samples = await Task.Run(
                async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var result = await generator.GenerateAsync(job.Condition, job.Block.Multiple, job.Seed, cancellationToken).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    metrics.OnModelRun("generator", elapsed);
                    metrics.OnStageWork("generate", elapsed);
                    return result;
                },
                cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _generated);
            metrics.OnBlockGenerated();
            return new GeneratedItem(job, samples);
        }
        finally
        {
            slots.Release();
        }
    }
}
