using Microsoft.Extensions.Time.Testing;
using V2AStream.Core.Generation;

namespace V2AStream.Core.Tests.Generation;

public sealed class GenerationSchedulerTests
{
    private static readonly float[] Condition = [1f, 2f, 3f];

    private readonly GatedGenerator _generator = new();

    [Fact]
    public async Task Submit_BlocksOfSeveralStreamsReadyTogether_RunAsOneBatchAndReachTheirOwnStreams()
    {
        await using var scheduler = Create(maxBatch: 4);
        var lanes = Enumerable.Range(0, 5).Select(_ => scheduler.OpenLane(GenerationPriority.Quality)).ToArray();
        var first = lanes[0].Submit(Block(1));
        var others = lanes.Skip(1).Select((lane, i) => lane.Submit(Block(2 + i))).ToArray();

        _generator.Gate.Release(2);

        Assert.Equal(1f, Assert.Single(await first.Completion));
        var samples = await Task.WhenAll(others.Select(j => j.Completion));
        Assert.Equal([2f, 3f, 4f, 5f], samples.Select(a => Assert.Single(a)));
        Assert.Equal([[1L], [2L, 3L, 4L, 5L]], _generator.Runs);
    }

    [Fact]
    public async Task Submit_ManyStreams_NeverMoreRunsAtOnceThanTheBound()
    {
        await using var scheduler = Create(maxBatch: 1, maxRuns: 2);
        var jobs = Enumerable.Range(0, 6).Select(i => scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(i))).ToArray();

        Assert.Equal(2, _generator.Runs.Count);
        _generator.Gate.Release(6);
        await Task.WhenAll(jobs.Select(j => j.Completion));

        Assert.Equal(6, _generator.Runs.Count);
        Assert.Equal(2, _generator.MostRunningAtOnce);
    }

    [Fact]
    public async Task Submit_LiveBlock_GoesBeforeQualityBlocksQueuedEarlier()
    {
        await using var scheduler = Create(maxBatch: 4);
        var quality = scheduler.OpenLane(GenerationPriority.Quality);
        var live = scheduler.OpenLane(GenerationPriority.Live);
        quality.Submit(Block(0));
        quality.Submit(Block(1));
        quality.Submit(Block(2));
        var liveJob = live.Submit(Block(10));

        await ReleaseRunsAsync(4);

        Assert.Equal([[0L], [10L], [1L], [2L]], _generator.Runs);
        Assert.Equal(10f, Assert.Single(await liveJob.Completion));
    }

    [Fact]
    public async Task Submit_QualityBlocksWhileALiveStreamIsOpen_RunAtMostTheLiveCapTogether()
    {
        await using var scheduler = Create(maxBatch: 4, maxQualityBatchWhileLive: 2);
        var live = scheduler.OpenLane(GenerationPriority.Live);
        var quality = Enumerable.Range(0, 6).Select(_ => scheduler.OpenLane(GenerationPriority.Quality)).ToArray();
        live.Submit(Block(0));
        for (var i = 0; i < 6; i++)
        {
            quality[i].Submit(Block(1 + i));
        }

        await ReleaseRunsAsync(1);
        await _generator.WaitForRunsAsync();
        await live.DisposeAsync();
        _generator.Gate.Release();
        await ReleaseRunsAsync(1);

        Assert.Equal([[0L], [1L, 2L], [3L, 4L, 5L, 6L]], _generator.Runs);
    }

    [Fact]
    public async Task Submit_LiveBlock_NeverWaitsForABatchToFill()
    {
        var time = new FakeTimeProvider();
        await using var scheduler = Create(maxBatch: 4, maxBatchWait: TimeSpan.FromMilliseconds(5), time: time);
        var (a, b) = (scheduler.OpenLane(GenerationPriority.Live), scheduler.OpenLane(GenerationPriority.Live));

        a.Submit(Block(1));

        Assert.Equal([[1L]], _generator.Runs);
        _generator.Gate.Release();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Submit_QualityBlockBehindAStreamOfLiveBlocks_RunsAfterTheConfiguredStreak()
    {
        await using var scheduler = Create(maxBatch: 1, liveRunsBeforeQuality: 2);
        var live = scheduler.OpenLane(GenerationPriority.Live);
        var quality = scheduler.OpenLane(GenerationPriority.Quality);
        live.Submit(Block(0));
        quality.Submit(Block(100));
        for (var seed = 1; seed <= 4; seed++)
        {
            live.Submit(Block(seed));
        }

        await ReleaseRunsAsync(6);

        Assert.Equal([0L, 1L, 2L, 100L, 3L, 4L], _generator.Runs.Select(r => Assert.Single(r)));
    }

    [Fact]
    public async Task Submit_StreamsOfOnePriority_TakeTurns()
    {
        await using var scheduler = Create(maxBatch: 1);
        var (a, b, c) = (scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality));
        a.Submit(Block(1));
        a.Submit(Block(2));
        a.Submit(Block(3));
        b.Submit(Block(20));
        c.Submit(Block(30));

        await ReleaseRunsAsync(5);

        Assert.Equal([1L, 20L, 30L, 2L, 3L], _generator.Runs.Select(r => Assert.Single(r)));
    }

    [Fact]
    public async Task Submit_DifferentMultiples_NeverShareARun()
    {
        await using var scheduler = Create(maxBatch: 4);
        var blocker = scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(0));
        scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(1, multiple: 2));
        scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(2, multiple: 1));
        scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(3, multiple: 2));

        await ReleaseRunsAsync(3);

        Assert.Equal([[0L], [1L, 3L], [2L]], _generator.Runs);
        Assert.True(blocker.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Submit_JobAfterAnother_RunsOnlyOnceThatSucceededNeverInItsBatch()
    {
        await using var scheduler = Create(maxBatch: 4);
        scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(0));
        var lane = scheduler.OpenLane(GenerationPriority.Quality);
        var before = lane.Submit(Block(1));
        var after = lane.Submit(Block(2), after: before);
        lane.Submit(Block(3));

        await ReleaseRunsAsync(3);

        Assert.Equal([[0L], [1L, 3L], [2L]], _generator.Runs);
        Assert.Equal(2f, Assert.Single(await after.Completion));
    }

    [Fact]
    public async Task Submit_JobAfterAFailedOne_FailsTheSameWayWithoutRunning()
    {
        await using var scheduler = Create(maxBatch: 4);
        var lane = scheduler.OpenLane(GenerationPriority.Quality);
        var failure = new InvalidOperationException("the model run failed");
        _generator.Fail = failure;
        var before = lane.Submit(Block(1));
        var after = lane.Submit(Block(2), after: before);
        _generator.Gate.Release();

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => after.Completion));
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => before.Completion));
        Assert.Equal([[1L]], _generator.Runs);
    }

    [Fact]
    public async Task DisposeLane_ItsOwnRun_IsCancelledAndAwaitedQueuedBlocksCancelled()
    {
        await using var scheduler = Create(maxBatch: 1);
        var lane = scheduler.OpenLane(GenerationPriority.Live);
        var running = lane.Submit(Block(1));
        var queued = lane.Submit(Block(2));

        await lane.DisposeAsync();

        Assert.True(running.Completion.IsCanceled);
        Assert.True(queued.Completion.IsCanceled);
        Assert.Equal(1, _generator.Cancelled);
        Assert.Equal(0, scheduler.RunningRuns);
        Assert.Throws<ObjectDisposedException>(() => lane.Submit(Block(3)));
    }

    [Fact]
    public async Task DisposeLane_RunSharedWithAnotherStream_WaitsForItWithoutCancellingIt()
    {
        await using var scheduler = Create(maxBatch: 4);
        scheduler.OpenLane(GenerationPriority.Quality).Submit(Block(0));
        var (leaving, staying) = (scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality));
        leaving.Submit(Block(1));
        var kept = staying.Submit(Block(2));
        await ReleaseRunsAsync(1);
        await _generator.WaitForRunsAsync();

        var dispose = leaving.DisposeAsync().AsTask();
        Assert.False(dispose.IsCompleted, "the stream's end waits for the run that holds its block");
        _generator.Gate.Release();
        await dispose;

        Assert.Equal(2f, Assert.Single(await kept.Completion));
        Assert.Equal([[0L], [1L, 2L]], _generator.Runs);
        Assert.Equal(0, _generator.Cancelled);
    }

    [Fact]
    public async Task Submit_BatchNotFull_WaitsForEmptyStreamsAtMostTheBatchWait()
    {
        var time = new FakeTimeProvider();
        await using var scheduler = Create(maxBatch: 4, maxBatchWait: TimeSpan.FromMilliseconds(5), time: time);
        var (a, b, c) = (scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality));

        a.Submit(Block(1));
        time.Advance(TimeSpan.FromMilliseconds(4));
        b.Submit(Block(2));
        Assert.Empty(_generator.Runs);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([[1L, 2L]], _generator.Runs);
        _generator.Gate.Release();
        await c.DisposeAsync();
    }

    [Fact]
    public async Task Submit_EveryStreamHasABlockReady_RunsWithoutWaiting()
    {
        var time = new FakeTimeProvider();
        await using var scheduler = Create(maxBatch: 4, maxBatchWait: TimeSpan.FromMilliseconds(5), time: time);
        var (a, b) = (scheduler.OpenLane(GenerationPriority.Quality), scheduler.OpenLane(GenerationPriority.Quality));
        a.Submit(Block(1));
        b.Submit(Block(2));

        Assert.Equal([[1L, 2L]], _generator.Runs);
        _generator.Gate.Release();
    }

    [Fact]
    public async Task Submit_BadCondition_ThrowsForThatStreamAlone()
    {
        await using var scheduler = Create(maxBatch: 4);
        var lane = scheduler.OpenLane(GenerationPriority.Quality);

        var error = Assert.Throws<ArgumentException>(() => lane.Submit(new BlockRequest(new[] { 1f, float.NaN }, 1, 0)));
        var fine = lane.Submit(Block(5));
        _generator.Gate.Release();

        Assert.Contains("non-finite", error.Message, StringComparison.Ordinal);
        Assert.Equal(5f, Assert.Single(await fine.Completion));
    }

    [Fact]
    public async Task DisposeAsync_CancelsRunsAndQueuedBlocksAndWaits()
    {
        var scheduler = Create(maxBatch: 1);
        var lane = scheduler.OpenLane(GenerationPriority.Quality);
        var running = lane.Submit(Block(1));
        var queued = lane.Submit(Block(2));

        await scheduler.DisposeAsync();

        Assert.True(running.Completion.IsCanceled);
        Assert.True(queued.Completion.IsCanceled);
        Assert.Equal(1, _generator.Cancelled);
        Assert.Throws<ObjectDisposedException>(() => scheduler.OpenLane(GenerationPriority.Live));
    }

    [Fact]
    public void Create_InvalidOptions_ListsTheProblems()
    {
        var error = Assert.Throws<ArgumentException>(() => new GenerationScheduler(_generator, new GenerationSchedulerOptions { MaxConcurrentRuns = 0, MaxBatchBlocks = 100 }));

        Assert.Contains("max concurrent runs 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("max batch 100", error.Message, StringComparison.Ordinal);
    }

    private static BlockRequest Block(long seed, int multiple = 1) => new(Condition, multiple, seed);

    private GenerationScheduler Create(int maxBatch, int maxRuns = 1, int liveRunsBeforeQuality = 3, TimeSpan? maxBatchWait = null, TimeProvider? time = null, int maxQualityBatchWhileLive = 1) =>
        new(
            _generator,
            new GenerationSchedulerOptions
            {
                MaxBatchBlocks = maxBatch,
                MaxConcurrentRuns = maxRuns,
                LiveRunsBeforeQuality = liveRunsBeforeQuality,
                MaxBatchWait = maxBatchWait ?? TimeSpan.Zero,
                MaxQualityBatchWhileLive = maxQualityBatchWhileLive,
            },
            time: time);

    /// <summary>Lets <paramref name="count"/> runs finish one after another, each after it has started.</summary>
    private async Task ReleaseRunsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _generator.WaitForRunsAsync();
            _generator.Gate.Release();
        }
    }
}
