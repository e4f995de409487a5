using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using V2AStream.Core.Pipeline;

namespace V2AStream.Daemon.Metrics;

/// <summary>
/// The daemon's metrics, one instance per host (no static state): stream counts, what every pipeline reports
/// through <see cref="IPipelineMetrics"/>, chunk latency, errors by status and the process's memory, written
/// as Prometheus text by <see cref="WriteTo"/>. Thread-safe.
/// </summary>
internal sealed class DaemonMetrics(Func<int> activeStreams) : IPipelineMetrics
{
    /// <summary>Seconds: from a few milliseconds of model work to the 10 s a stalled chunk may take.</summary>
    private static readonly ImmutableArray<double> SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

    private readonly ConcurrentDictionary<string, MetricHistogram> _stageSeconds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MetricHistogram> _modelSeconds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Func<IReadOnlyList<KeyValuePair<string, int>>>> _queues = new();
    private readonly MetricHistogram _chunkLatency = new(SecondsBuckets);
    private long _streamsTotal;
    private long _framesIngested;
    private long _blocksGenerated;
    private long _chunksSent;
    private long _nextQueueId;

    public long StreamsTotal => Interlocked.Read(ref _streamsTotal);

    public void OnStreamStarted() => Interlocked.Increment(ref _streamsTotal);

    /// <summary>A stream ended with a status other than OK (<paramref name="status"/> as gRPC names it, e.g. "ResourceExhausted").</summary>
    public void OnStreamFailed(string status) => _errors.AddOrUpdate(status, 1, static (_, count) => count + 1);

    /// <summary>A chunk was written to a client, <paramref name="latencySeconds"/> after the frame at its end arrived.</summary>
    public void OnChunkSent(double latencySeconds)
    {
        Interlocked.Increment(ref _chunksSent);
        _chunkLatency.Observe(latencySeconds);
    }

    public void OnFrameIngested() => Interlocked.Increment(ref _framesIngested);

    public void OnBlockGenerated() => Interlocked.Increment(ref _blocksGenerated);

    public void OnStageWork(string stage, TimeSpan elapsed) =>
        _stageSeconds.GetOrAdd(stage, static _ => new MetricHistogram(SecondsBuckets)).Observe(elapsed.TotalSeconds);

    public void OnModelRun(string model, TimeSpan elapsed) =>
        _modelSeconds.GetOrAdd(model, static _ => new MetricHistogram(SecondsBuckets)).Observe(elapsed.TotalSeconds);

    public IDisposable TrackQueues(Func<IReadOnlyList<KeyValuePair<string, int>>> depths)
    {
        var id = Interlocked.Increment(ref _nextQueueId);
        _queues[id] = depths;
        return new QueueRegistration(_queues, id);
    }

    /// <summary>Every family, in a fixed order, as Prometheus text format 0.0.4.</summary>
    public string WriteTo()
    {
        var text = new StringBuilder(8192);
        var writer = new PrometheusTextWriter(text);
        writer.Family("v2a_streams_active", "gauge", "Streams running now.");
        writer.Sample("v2a_streams_active", activeStreams());
        writer.Family("v2a_streams_total", "counter", "Streams admitted since start.");
        writer.Sample("v2a_streams_total", Interlocked.Read(ref _streamsTotal));
        writer.Family("v2a_stream_errors_total", "counter", "Streams that ended with a gRPC status other than OK, by status.");
        foreach (var (status, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Sample("v2a_stream_errors_total", count, "status", status);
        }

        writer.Family("v2a_frames_ingested_total", "counter", "Sampled frames that reached a pipeline from ffmpeg.");
        writer.Sample("v2a_frames_ingested_total", Interlocked.Read(ref _framesIngested));
        writer.Family("v2a_blocks_generated_total", "counter", "Audio blocks generated.");
        writer.Sample("v2a_blocks_generated_total", Interlocked.Read(ref _blocksGenerated));
        writer.Family("v2a_chunks_sent_total", "counter", "Audio chunks written to clients.");
        writer.Sample("v2a_chunks_sent_total", Interlocked.Read(ref _chunksSent));

        writer.Family("v2a_queue_depth", "gauge", "Items waiting in each pipeline channel, summed over running streams.");
        foreach (var (queue, depth) in QueueDepths())
        {
            writer.Sample("v2a_queue_depth", depth, "queue", queue);
        }

        writer.Family("v2a_stage_seconds", "histogram", "A stage's own work per unit (embed: batch, plan: frame, generate: block, stitch: item), in seconds.");
        foreach (var (stage, histogram) in _stageSeconds.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Histogram("v2a_stage_seconds", histogram.Snapshot(), "stage", stage);
        }

        writer.Family("v2a_model_run_seconds", "histogram", "One model run (embedder: a batch of frames, generator: a block), in seconds.");
        foreach (var (model, histogram) in _modelSeconds.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Histogram("v2a_model_run_seconds", histogram.Snapshot(), "model", model);
        }

        writer.Family("v2a_chunk_latency_seconds", "histogram", "Wall time from the arrival of the frame at a chunk's end to the chunk being written, in seconds.");
        writer.Histogram("v2a_chunk_latency_seconds", _chunkLatency.Snapshot());

        writer.Family("process_resident_memory_bytes", "gauge", "Resident set size of the daemon process.");
        writer.Sample("process_resident_memory_bytes", Environment.WorkingSet);
        writer.Family("dotnet_gc_heap_bytes", "gauge", "Bytes currently thought to be allocated on the managed heap.");
        writer.Sample("dotnet_gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        writer.Family("dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed (heap, free space kept for reuse, bookkeeping).");
        writer.Sample("dotnet_gc_committed_bytes", GC.GetGCMemoryInfo().TotalCommittedBytes);
        writer.Family("dotnet_jit_compiled_methods_total", "counter", "Methods the JIT has compiled, tier-ups included: growth after warm-up is code memory growth.");
        writer.Sample("dotnet_jit_compiled_methods_total", System.Runtime.JitInfo.GetCompiledMethodCount());
        writer.Family("process_child_processes", "gauge", "Child processes (ffmpeg) of the daemon right now.");
        writer.Sample("process_child_processes", ChildProcesses.Count(Environment.ProcessId));
        return text.ToString();
    }

    private SortedDictionary<string, int> QueueDepths()
    {
        var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var probe in _queues.Values)
        {
            foreach (var (queue, depth) in probe())
            {
                totals[queue] = totals.GetValueOrDefault(queue) + depth;
            }
        }

        return totals;
    }

    private sealed class QueueRegistration(ConcurrentDictionary<long, Func<IReadOnlyList<KeyValuePair<string, int>>>> queues, long id) : IDisposable
    {
        public void Dispose() => queues.TryRemove(id, out _);
    }
}
