using V2AStream.Core.Pipeline;

namespace V2AStream.Core.Generation;

/// <summary>
/// Runs the blocks of every stream of one loaded model set on its generator. At most
/// <see cref="GenerationSchedulerOptions.MaxConcurrentRuns"/> runs at once, over all streams; blocks of the same
/// priority and multiple that are ready together go into one run (the generator's batch), up to
/// <see cref="GenerationSchedulerOptions.MaxBatchBlocks"/>, a QUALITY batch that is not full waiting at most
/// <see cref="GenerationSchedulerOptions.MaxBatchWait"/> for streams with nothing ready yet, and carrying at most
/// <see cref="GenerationSchedulerOptions.MaxQualityBatchWhileLive"/> blocks while a LIVE stream is open. LIVE blocks go first, but
/// after <see cref="GenerationSchedulerOptions.LiveRunsBeforeQuality"/> LIVE runs in a row a waiting QUALITY block
/// goes; among the streams of one priority the first block of a batch is taken from each in turn, so no stream
/// starves. Each stream (<see cref="GenerationLane"/>) awaits its jobs in its own order, which is how its audio stays in
/// order. A run is cancelled only when every stream it serves has ended; a stream that ends waits for the runs that
/// hold its blocks. The generator offloads its own work (one Task.Run per run, in the generator). Thread-safe.
/// </summary>
public sealed class GenerationScheduler : IAsyncDisposable
{
    private readonly IAudioGenerator _generator;
    private readonly GenerationSchedulerOptions _options;
    private readonly IPipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<GenerationLane> _lanes = [];
    private readonly HashSet<Run> _running = [];
    private readonly int[] _nextLane = new int[2];
    private readonly ITimer _batchTimer;
    private int _liveStreak;
    private long? _timerDue;
    private bool _disposed;

    public GenerationScheduler(IAudioGenerator generator, GenerationSchedulerOptions? options = null, IPipelineMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _options = options ?? new GenerationSchedulerOptions();
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid generation scheduler options: {string.Join(" ", problems)}", nameof(options));
        }

        _generator = generator;
        _metrics = metrics ?? NullPipelineMetrics.Instance;
        _time = time ?? TimeProvider.System;
        _batchTimer = _time.CreateTimer(static state => ((GenerationScheduler)state!).OnBatchTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public GenerationSchedulerOptions Options => _options;

    /// <summary>Runs under way now.</summary>
    public int RunningRuns
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>A new stream's lane at <paramref name="priority"/>; dispose it when the stream ends.</summary>
    public GenerationLane OpenLane(GenerationPriority priority)
    {
        var lane = new GenerationLane(this, priority);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _lanes.Add(lane);
        }

        return lane;
    }

    /// <summary>Cancels every run and queued block, and waits for the runs to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Run[] runs;
        List<GenerationJob> queued = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            runs = [.. _running];
            foreach (var lane in _lanes)
            {
                lane.Closed = true;
                queued.AddRange(lane.Queued);
                lane.Queued.Clear();
            }

            _lanes.Clear();
        }

        await _batchTimer.DisposeAsync().ConfigureAwait(false);
        queued.ForEach(job => job.TrySetCanceled());
        foreach (var run in runs)
        {
            await run.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(runs.Select(r => r.Done)).ConfigureAwait(false);
    }

    internal GenerationJob Submit(GenerationLane lane, BlockRequest request, GenerationJob? after)
    {
        ArgumentNullException.ThrowIfNull(request);
        ConditionValidation.Check(request.Condition.Span, _generator.ConditionDimension);
        if (after is not null && after.Lane != lane)
        {
            throw new ArgumentException("A job can only wait for a job of its own stream.", nameof(after));
        }

        var job = new GenerationJob(lane, request, after, _time.GetTimestamp());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(lane.Closed, lane);
            lane.Queued.Add(job);
        }

        // A predecessor ends in a run, whose end dispatches again: that is when a waiting job becomes ready.
        Dispatch();
        return job;
    }

    internal async ValueTask CloseAsync(GenerationLane lane)
    {
        GenerationJob[] queued;
        Run[] runs;
        lock (_gate)
        {
            lane.Closed = true;
            _lanes.Remove(lane);
            queued = [.. lane.Queued];
            lane.Queued.Clear();
            runs = [.. lane.Runs];
        }

        foreach (var job in queued)
        {
            job.TrySetCanceled();
        }

        // A run serving other streams too goes on for them: this stream waits for it all the same.
        foreach (var run in runs.Where(r => r.ServesOnlyClosedLanes))
        {
            await run.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(runs.Select(r => r.Done)).ConfigureAwait(false);
        Dispatch();
    }

    /// <summary>Starts every run the free slots and the ready blocks allow; arms the batch timer when a batch waits.</summary>
    private void Dispatch()
    {
        List<Run>? started = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            SettleWaitingJobs(now);
            long? wakeAt = null;
            while (_running.Count < _options.MaxConcurrentRuns)
            {
                var batch = TakeBatch(now, out wakeAt);
                if (batch is null)
                {
                    break;
                }

                var run = new Run(batch);
                _running.Add(run);
                foreach (var lane in batch.Select(j => j.Lane).Distinct())
                {
                    lane.Runs.Add(run);
                }

                (started ??= []).Add(run);
            }

            ArmTimer(wakeAt, now);
        }

        foreach (var run in started ?? [])
        {
            _ = ExecuteAsync(run);
        }
    }

    /// <summary>Marks jobs whose predecessor succeeded as ready; ends those whose predecessor failed or was cancelled.</summary>
    private void SettleWaitingJobs(long now)
    {
        foreach (var lane in _lanes)
        {
            for (var i = lane.Queued.Count - 1; i >= 0; i--)
            {
                var job = lane.Queued[i];
                if (job.ReadyTimestamp is not null || job.After is not { Completion.IsCompleted: true } after)
                {
                    continue;
                }

                if (after.Completion.IsCompletedSuccessfully)
                {
                    job.ReadyTimestamp = now;
                }
                else
                {
                    lane.Queued.RemoveAt(i);
                    job.FailLike(after.Completion);
                }
            }
        }
    }

    /// <summary>The next batch to run, or null (with when to look again, if a batch waits to fill).</summary>
    private List<GenerationJob>? TakeBatch(long now, out long? wakeAt)
    {
        wakeAt = null;
        var liveReady = AnyReady(GenerationPriority.Live);
        var qualityReady = AnyReady(GenerationPriority.Quality);
        if (!liveReady && !qualityReady)
        {
            return null;
        }

        var priority = liveReady && !(qualityReady && _liveStreak >= _options.LiveRunsBeforeQuality) ? GenerationPriority.Live : GenerationPriority.Quality;
        var lanes = _lanes.Where(l => l.Priority == priority).ToList();
        var maxBatch = priority == GenerationPriority.Quality && _lanes.Any(l => l.Priority == GenerationPriority.Live)
            ? Math.Min(_options.MaxBatchBlocks, _options.MaxQualityBatchWhileLive)
            : _options.MaxBatchBlocks;
        var start = _nextLane[(int)priority] % lanes.Count;
        var batch = new List<GenerationJob>(maxBatch);
        var taken = new int[lanes.Count];
        GenerationLane? firstLane = null;
        for (var progress = true; progress && batch.Count < maxBatch;)
        {
            // One job per lane per round, lanes in turn from where the last batch began: fair between streams.
            progress = false;
            for (var k = 0; k < lanes.Count && batch.Count < maxBatch; k++)
            {
                var index = (start + k) % lanes.Count;
                var job = NextReady(lanes[index], taken[index], batch.Count == 0 ? null : batch[0].Request.Multiple, out var position);
                if (job is null)
                {
                    continue;
                }

                taken[index] = position + 1;
                firstLane ??= lanes[index];
                batch.Add(job);
                progress = true;
            }
        }

        if (batch.Count == 0)
        {
            return null;
        }

        if (priority == GenerationPriority.Quality && batch.Count < maxBatch && _options.MaxBatchWait > TimeSpan.Zero)
        {
            var deadline = batch.Min(j => j.ReadyTimestamp!.Value) + ToTimestampTicks(_options.MaxBatchWait);
            var someoneMayJoin = lanes.Any(l => !batch.Any(j => j.Lane == l) && l.Queued.Count == 0);
            if (someoneMayJoin && now < deadline)
            {
                wakeAt = deadline;
                return null;
            }
        }

        foreach (var job in batch)
        {
            job.Lane.Queued.Remove(job);
        }

        _nextLane[(int)priority] = (lanes.IndexOf(firstLane!) + 1) % lanes.Count;
        _liveStreak = priority == GenerationPriority.Live && qualityReady ? _liveStreak + 1 : 0;
        return batch;
    }

    private bool AnyReady(GenerationPriority priority) =>
        _lanes.Any(l => l.Priority == priority && l.Queued.Any(j => j.ReadyTimestamp is not null));

    /// <summary>The first ready job of <paramref name="lane"/> at or after <paramref name="from"/> with <paramref name="multiple"/> (any when null).</summary>
    private static GenerationJob? NextReady(GenerationLane lane, int from, int? multiple, out int position)
    {
        for (position = from; position < lane.Queued.Count; position++)
        {
            var job = lane.Queued[position];
            if (job.ReadyTimestamp is not null && (multiple is null || job.Request.Multiple == multiple))
            {
                return job;
            }
        }

        return null;
    }

    private async Task ExecuteAsync(Run run)
    {
        try
        {
            var started = _time.GetTimestamp();
            var samples = await _generator.GenerateAsync(run.Requests, run.CancellationToken).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            _metrics.OnModelRun("generator", elapsed);
            _metrics.OnGenerationBatch(run.Jobs.Count);
            for (var i = 0; i < run.Jobs.Count; i++)
            {
                _metrics.OnStageWork("generate", elapsed / run.Jobs.Count);
                _metrics.OnBlockGenerated();
                run.Jobs[i].TrySetResult(samples[i]);
            }
        }
        catch (OperationCanceledException)
        {
            run.Jobs.ForEach(j => j.TrySetCanceled());
        }
        catch (Exception ex)
        {
            run.Jobs.ForEach(j => j.TrySetException(ex));
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(run);
                foreach (var job in run.Jobs)
                {
                    job.Lane.Runs.Remove(run);
                }
            }

            run.Finish();
            Dispatch();
        }
    }

    private void OnBatchTimer()
    {
        lock (_gate)
        {
            _timerDue = null;
        }

        Dispatch();
    }

    private void ArmTimer(long? wakeAt, long now)
    {
        if (wakeAt is not { } due || (_timerDue is { } armed && armed <= due))
        {
            return;
        }

        _timerDue = due;
        var delay = TimeSpan.FromSeconds((due - now) / (double)_time.TimestampFrequency);
        _batchTimer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>One generator run: its jobs, in batch order, and what ends it.</summary>
    internal sealed class Run(List<GenerationJob> jobs)
    {
        // Never disposed: without a timer or a wait handle it holds nothing to release, and a stream that ends may
        // cancel it at any moment, even as the run finishes.
        private readonly CancellationTokenSource _cancellation = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<GenerationJob> Jobs { get; } = jobs;

        public IReadOnlyList<BlockRequest> Requests { get; } = jobs.Select(j => j.Request).ToArray();

        public CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>Completes when the run has ended and its jobs have their outcome.</summary>
        public Task Done => _done.Task;

        public bool ServesOnlyClosedLanes => Jobs.All(j => j.Lane.Closed);

        public Task CancelAsync() => _cancellation.CancelAsync();

        public void Finish() => _done.TrySetResult();
    }
}
