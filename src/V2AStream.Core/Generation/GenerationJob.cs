namespace V2AStream.Core.Generation;

/// <summary>
/// One block submitted to a <see cref="GenerationScheduler"/>: <see cref="Completion"/> gives its audio, or fails with
/// the run's failure, or is cancelled when its stream ends first. A job submitted after another one of its stream
/// (<see cref="After"/>) runs only once that one has succeeded, never in the same run, and fails or is cancelled with
/// it: the form of "this block continues that one" (latent continuation within a scene) needs.
/// </summary>
public sealed class GenerationJob
{
    private readonly TaskCompletionSource<float[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal GenerationJob(GenerationLane lane, BlockRequest request, GenerationJob? after, long submittedTimestamp)
    {
        Lane = lane;
        Request = request;
        After = after;
        ReadyTimestamp = after is null ? submittedTimestamp : null;

        // A job whose stream stopped listening must not leave an unobserved exception behind.
        _ = _completion.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public BlockRequest Request { get; }

    /// <summary>The job this one waits for, or null.</summary>
    public GenerationJob? After { get; }

    /// <summary>The block's audio (the generator's 2.56·k s), in the order the stream submitted it or not: the stream awaits its jobs in its own order.</summary>
    public Task<float[]> Completion => _completion.Task;

    internal GenerationLane Lane { get; }

    /// <summary>When the job could first run (its predecessor done), on the scheduler's clock; null while it waits.</summary>
    internal long? ReadyTimestamp { get; set; }

    internal bool TrySetResult(float[] samples) => _completion.TrySetResult(samples);

    internal bool TrySetException(Exception exception) => _completion.TrySetException(exception);

    internal bool TrySetCanceled(CancellationToken cancellationToken = default) => _completion.TrySetCanceled(cancellationToken);

    /// <summary>Ends this job the way <paramref name="finished"/> ended unsuccessfully.</summary>
    internal void FailLike(Task finished)
    {
        if (finished.IsCanceled)
        {
            TrySetCanceled();
        }
        else if (finished.Exception is { } failure)
        {
            TrySetException(failure.InnerExceptions.Count == 1 ? failure.InnerException! : failure);
        }
    }
}
