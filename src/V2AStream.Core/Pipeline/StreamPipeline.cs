using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Scenes;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// One stream, end to end (DESIGN.md section 3): ingest (ffmpeg child) -> embed -> detect and plan ->
/// generate (the model set's shared scheduler, results in order) -> stitch, each stage a loop between small bounded channels,
/// so a slow consumer slows ingest and, through it, the source. Events come out as they are ready:
/// audio chunks, decided scenes, progress, and a <see cref="PipelineSummary"/> last.
/// Cancelling (or abandoning the enumeration) stops every stage, reaps the ffmpeg child and waits for every generator
/// run holding one of the stream's blocks before the enumeration ends. A pipeline object runs one stream at a time.
/// </summary>
public sealed class StreamPipeline
{
    private readonly LoadedModelSet _set;
    private readonly PipelineOptions _options;
    private readonly SceneDetectorOptions _detectorOptions;
    private readonly FrameReaderOptions _readerOptions;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly IPipelineMetrics _metrics;

    /// <param name="set">A loaded set with its embedder, mapper and generator; its scheduler is shared with its other streams.</param>
    public StreamPipeline(LoadedModelSet set, PipelineOptions options, SceneDetectorOptions? detectorOptions = null, FrameReaderOptions? readerOptions = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, IPipelineMetrics? metrics = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid pipeline options: {string.Join(" ", problems)}", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(set);
        _set = set;
        _options = options;
        _detectorOptions = (detectorOptions ?? new SceneDetectorOptions()) with { FramesPerSecond = options.SampleFps };
        _detectorOptions.Validate();
        _readerOptions = (readerOptions ?? new FrameReaderOptions()) with { SampleFps = options.SampleFps, Geometry = set.Embedder.Geometry, LowDelay = options.LowDelayDecode };
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _metrics = metrics ?? NullPipelineMetrics.Instance;
    }

    /// <summary>Runs the stream from <paramref name="source"/>; the enumeration ends after the summary, or throws the first stage's failure.</summary>
    public async IAsyncEnumerable<PipelineEvent> RunAsync(MediaSource source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var capacity = _options.ChannelCapacity;
        var events = Channel.CreateBounded<PipelineEvent>(new BoundedChannelOptions(capacity * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var frames = Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var embedded = Channel.CreateBounded<FrameEmbedding>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var plan = Channel.CreateBounded<PlanItem>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var generated = Channel.CreateBounded<Task<GeneratedItem>>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        var arrivals = new FrameArrivals();
        var reader = new FrameReader(_readerOptions, _loggerFactory.CreateLogger<FrameReader>());
        var ingest = new IngestStage(arrivals, _time, _metrics);
        var readReport = new FrameReadReport();
        var embed = new FrameEmbeddingStage(_set.Embedder, _options.MaxEmbedWait, _metrics);
        var detector = SceneDetectors.CreateIncremental(_detectorOptions, _set.Embedder.Dim, SceneLog.BoundaryLogger(_loggerFactory.CreateLogger<SceneTracker>()));
        var planStage = new ScenePlanStage(new SceneTracker(detector, _options.SampleFps), _set.Mapper, _options, _set.Generator.SampleRate, _metrics);
        var lane = _set.Scheduler.OpenLane(_options.Mode == GenerationMode.Live ? GenerationPriority.Live : GenerationPriority.Quality);
        var generate = new GenerateStage(lane, _set.Generator.ContinuesScenes);
        var pacer = _options.Mode == GenerationMode.Live && _options.LiveJitterBuffer is { } jitterBuffer
            ? new LiveOutputPacer(arrivals, _options.SampleFps, _detectorOptions.LookaheadFrames, _set.Generator.SampleRate, jitterBuffer, _time)
            : null;
        var stitch = new StitchStage(_options, arrivals, _set.Generator.SampleRate, _metrics, pacer, _time);
        using var queues = _metrics.TrackQueues(() =>
        [
            new("frames", frames.Reader.Count),
            new("embeddings", embedded.Reader.Count),
            new("plan", plan.Reader.Count),
            new("generated", generated.Reader.Count),
            new("events", events.Reader.Count),
        ]);

        var failures = new StageFailures(stop);
        var stages = Task.WhenAll(
            failures.Watch(ingest.RunAsync(reader.ReadFramesAsync(source, readReport, stop.Token), frames.Writer, stop.Token)),
            failures.Watch(embed.RunAsync(frames.Reader, embedded.Writer, stop.Token)),
            failures.Watch(planStage.RunAsync(embedded.Reader, plan.Writer, events.Writer, stop.Token)),
            failures.Watch(generate.RunAsync(plan.Reader, generated.Writer, stop.Token)),
            failures.Watch(stitch.RunAsync(generated.Reader, events.Writer, stop.Token)));
        var completion = CompleteEventsAsync(stages, events.Writer, failures);
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            await completion.ConfigureAwait(false);
        }
        finally
        {
            // Early exit (consumer stopped, cancel, failure): stop every stage and wait, so no child outlives the stream,
            // and no model run either: the lane cancels the blocks still queued and waits for the runs holding its others.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(completion).ConfigureAwait(false);
            await lane.DisposeAsync().ConfigureAwait(false);
            while (generated.Reader.TryRead(out var unawaited))
            {
                _ = unawaited.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }

        var wallSeconds = _time.GetElapsedTime(started).TotalSeconds;
        var mediaSeconds = ingest.FramesIngested / _options.SampleFps;
        yield return new PipelineSummary(
            ingest.FramesIngested,
            ingest.FramesIngested == 0 ? 0 : planStage.SceneCount,
            generate.BlocksGenerated,
            stitch.SamplesOut,
            stitch.SampleRate,
            mediaSeconds,
            wallSeconds,
            wallSeconds > 0 ? mediaSeconds / wallSeconds : 0,
            readReport.TimestampDiscontinuities,
            ingest.EndedEarly);
    }

    private static async Task CompleteEventsAsync(Task stages, ChannelWriter<PipelineEvent> events, StageFailures failures)
    {
        try
        {
            await stages.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The first real failure is reported below; the others are cancellations it caused.
        }

        events.TryComplete(failures.First);
    }

    /// <summary>Keeps the first stage failure that is not a cancellation it caused, and stops the other stages.</summary>
    private sealed class StageFailures(CancellationTokenSource stop)
    {
        private Exception? _first;

        public Exception? First => Volatile.Read(ref _first);

        public async Task Watch(Task stage)
        {
            try
            {
                await stage.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _first, ex, null);
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }
}
