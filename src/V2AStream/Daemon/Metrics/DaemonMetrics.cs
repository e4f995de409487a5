using System.Collections.Concurrent;
using System.Text;
using Prometheus;
using V2AStream.Core.Pipeline;

namespace V2AStream.Daemon.Metrics;

/// <summary>
/// The daemon's metrics, one registry per host (prometheus-net, no static state): stream counts, what every pipeline
/// reports through <see cref="IPipelineMetrics"/>, chunk latency, errors by status and the process's memory. Values
/// that are read rather than counted (active streams, queue depths, memory, children) are taken at each scrape.
/// Served as Prometheus text on the health port. Thread-safe.
/// </summary>
internal sealed class DaemonMetrics : IPipelineMetrics
{
    /// <summary>Seconds: from a few milliseconds of model work to the 10 s a stalled chunk may take.</summary>
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

    private readonly Func<int> _activeStreams;
    private readonly ConcurrentDictionary<long, Func<IReadOnlyList<KeyValuePair<string, int>>>> _queues = new();
    private readonly Gauge _streamsActive;
    private readonly Counter _streamsTotal;
    private readonly Counter _streamErrors;
    private readonly Counter _framesIngested;
    private readonly Counter _blocksGenerated;
    private readonly Counter _chunksSent;
    private readonly Gauge _queueDepth;
    private readonly Histogram _stageSeconds;
    private readonly Histogram _modelRunSeconds;
    private readonly Histogram _generationBatch;
    private readonly Histogram _chunkLatency;
    private readonly Gauge _residentMemory;
    private readonly Gauge _gcHeap;
    private readonly Gauge _gcCommitted;
    private readonly Counter _jitCompiledMethods;
    private readonly Gauge _childProcesses;
    private long _nextQueueId;

    public DaemonMetrics(Func<int> activeStreams)
    {
        _activeStreams = activeStreams;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = Prometheus.Metrics.WithCustomRegistry(Registry);
        _streamsActive = metrics.CreateGauge("v2a_streams_active", "Streams running now.");
        _streamsTotal = metrics.CreateCounter("v2a_streams_total", "Streams admitted since start.");
        _streamErrors = metrics.CreateCounter("v2a_stream_errors_total", "Streams that ended with a gRPC status other than OK, by status.", "status");
        _framesIngested = metrics.CreateCounter("v2a_frames_ingested_total", "Sampled frames that reached a pipeline from ffmpeg.");
        _blocksGenerated = metrics.CreateCounter("v2a_blocks_generated_total", "Audio blocks generated.");
        _chunksSent = metrics.CreateCounter("v2a_chunks_sent_total", "Audio chunks written to clients.");
        _queueDepth = metrics.CreateGauge("v2a_queue_depth", "Items waiting in each pipeline channel, summed over running streams.", "queue");
        _stageSeconds = metrics.CreateHistogram(
            "v2a_stage_seconds",
            "A stage's own work per unit (embed: batch, plan: frame, generate: block, stitch: item), in seconds.",
            new HistogramConfiguration { LabelNames = ["stage"], Buckets = SecondsBuckets });
        _modelRunSeconds = metrics.CreateHistogram(
            "v2a_model_run_seconds",
            "One model run (embedder: a batch of frames, generator: a batch of blocks), in seconds.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = SecondsBuckets });
        _generationBatch = metrics.CreateHistogram(
            "v2a_generation_batch_blocks",
            "Blocks in one generator run of a model set's scheduler (from one or more streams).",
            new HistogramConfiguration { Buckets = [1, 2, 3, 4, 6, 8, 16, 32, 64] });
        _chunkLatency = metrics.CreateHistogram(
            "v2a_chunk_latency_seconds",
            "Wall time from the arrival of the frame at a chunk's end to the chunk being written, in seconds.",
            new HistogramConfiguration { Buckets = SecondsBuckets });
        _residentMemory = metrics.CreateGauge("process_resident_memory_bytes", "Resident set size of the daemon process.");
        _gcHeap = metrics.CreateGauge("dotnet_gc_heap_bytes", "Bytes currently thought to be allocated on the managed heap.");
        _gcCommitted = metrics.CreateGauge("dotnet_gc_committed_bytes", "Memory the garbage collector has committed (heap, free space kept for reuse, bookkeeping).");
        _jitCompiledMethods = metrics.CreateCounter("dotnet_jit_compiled_methods_total", "Methods the JIT has compiled, tier-ups included: growth after warm-up is code memory growth.");
        _childProcesses = metrics.CreateGauge("process_child_processes", "Child processes (ffmpeg) of the daemon right now.");
        Registry.AddBeforeCollectCallback(ReadCurrentValues);
    }

    /// <summary>The registry the health port's /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    public void OnStreamStarted() => _streamsTotal.Inc();

    /// <summary>A stream ended with a status other than OK (<paramref name="status"/> as gRPC names it, e.g. "ResourceExhausted").</summary>
    public void OnStreamFailed(string status) => _streamErrors.WithLabels(status).Inc();

    /// <summary>A chunk was written to a client, <paramref name="latencySeconds"/> after the frame at its end arrived.</summary>
    public void OnChunkSent(double latencySeconds)
    {
        _chunksSent.Inc();
        _chunkLatency.Observe(latencySeconds);
    }

    public void OnFrameIngested() => _framesIngested.Inc();

    public void OnBlockGenerated() => _blocksGenerated.Inc();

    public void OnStageWork(string stage, TimeSpan elapsed) => _stageSeconds.WithLabels(stage).Observe(elapsed.TotalSeconds);

    public void OnModelRun(string model, TimeSpan elapsed) => _modelRunSeconds.WithLabels(model).Observe(elapsed.TotalSeconds);

    public void OnGenerationBatch(int blocks) => _generationBatch.Observe(blocks);

    public IDisposable TrackQueues(Func<IReadOnlyList<KeyValuePair<string, int>>> depths)
    {
        var id = Interlocked.Increment(ref _nextQueueId);
        _queues[id] = depths;
        return new QueueRegistration(_queues, id);
    }

    /// <summary>Every family as Prometheus text format 0.0.4, as /metrics serves it.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    private void ReadCurrentValues()
    {
        _streamsActive.Set(_activeStreams());
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var probe in _queues.Values)
        {
            foreach (var (queue, depth) in probe())
            {
                totals[queue] = totals.GetValueOrDefault(queue) + depth;
            }
        }

        // A queue no running stream has reads 0, so its series stays continuous between streams.
        foreach (var labels in _queueDepth.GetAllLabelValues())
        {
            _queueDepth.WithLabels(labels).Set(totals.GetValueOrDefault(labels[0]));
        }

        foreach (var (queue, depth) in totals)
        {
            _queueDepth.WithLabels(queue).Set(depth);
        }

        _residentMemory.Set(Environment.WorkingSet);
        _gcHeap.Set(GC.GetTotalMemory(forceFullCollection: false));
        _gcCommitted.Set(GC.GetGCMemoryInfo().TotalCommittedBytes);
        _jitCompiledMethods.IncTo(System.Runtime.JitInfo.GetCompiledMethodCount());
        _childProcesses.Set(ChildProcesses.Count(Environment.ProcessId));
    }

    private sealed class QueueRegistration(ConcurrentDictionary<long, Func<IReadOnlyList<KeyValuePair<string, int>>>> queues, long id) : IDisposable
    {
        public void Dispose() => queues.TryRemove(id, out _);
    }
}
