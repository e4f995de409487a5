using V2AStream.Daemon.Metrics;

namespace V2AStream.Tests.Daemon.Metrics;

public sealed class DaemonMetricsTests
{
    [Fact]
    public async Task Export_AfterPipelineActivity_StrictlyValidWithEveryFamily()
    {
        var metrics = new DaemonMetrics(() => 2);
        metrics.OnStreamStarted();
        metrics.OnFrameIngested();
        metrics.OnFrameIngested();
        metrics.OnBlockGenerated();
        metrics.OnStageWork("embed", TimeSpan.FromMilliseconds(3));
        metrics.OnStageWork("generate", TimeSpan.FromMilliseconds(40));
        metrics.OnModelRun("generator", TimeSpan.FromMilliseconds(40));
        metrics.OnGenerationBatch(3);
        metrics.OnChunkSent(0.3);
        metrics.OnStreamFailed("ResourceExhausted");

        var families = PrometheusTextParser.Parse(await metrics.ExportAsync(CancellationToken.None));

        string[] expected =
        [
            "v2a_streams_active", "v2a_streams_total", "v2a_stream_errors_total", "v2a_frames_ingested_total", "v2a_blocks_generated_total",
            "v2a_chunks_sent_total", "v2a_queue_depth", "v2a_stage_seconds", "v2a_model_run_seconds", "v2a_generation_batch_blocks", "v2a_chunk_latency_seconds",
            "process_resident_memory_bytes", "dotnet_gc_heap_bytes", "dotnet_gc_committed_bytes", "dotnet_jit_compiled_methods_total", "process_child_processes",
        ];
        Assert.Equal(expected.Order(), families.Keys.Order());
        Assert.Equal(2, families["v2a_streams_active"].Samples.Single().Value);
        Assert.Equal(2, families["v2a_frames_ingested_total"].Samples.Single().Value);
        Assert.Equal(1, families["v2a_stream_errors_total"].Samples.Single(s => s.Labels["status"] == "ResourceExhausted").Value);
        Assert.Equal(["embed", "generate"], families["v2a_stage_seconds"].Samples.Select(s => s.Labels["stage"]).Distinct());
        Assert.True(families["process_resident_memory_bytes"].Samples.Single().Value > 0);
        Assert.Equal(3, families["v2a_generation_batch_blocks"].Samples.Single(s => s.Name == "v2a_generation_batch_blocks_sum").Value);
    }

    [Fact]
    public async Task Export_ChunkLatencies_CumulativeBucketsSumAndCount()
    {
        var metrics = new DaemonMetrics(() => 0);
        metrics.OnChunkSent(0.2);
        metrics.OnChunkSent(0.2);
        metrics.OnChunkSent(7);
        metrics.OnChunkSent(60);

        var samples = PrometheusTextParser.Parse(await metrics.ExportAsync(CancellationToken.None))["v2a_chunk_latency_seconds"].Samples;

        double Bucket(string le) => samples.Single(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["le"] == le).Value;
        Assert.Equal(0, Bucket("0.1"));
        Assert.Equal(2, Bucket("0.25"));
        Assert.Equal(2, Bucket("5"));
        Assert.Equal(3, Bucket("10"));
        Assert.Equal(4, Bucket("+Inf"));
        Assert.Equal(67.4, samples.Single(s => s.Name == "v2a_chunk_latency_seconds_sum").Value, 9);
        Assert.Equal(4, samples.Single(s => s.Name == "v2a_chunk_latency_seconds_count").Value);
    }

    [Fact]
    public async Task Export_LabelValueWithQuoteBackslashAndNewline_EscapedAndReadBack()
    {
        var metrics = new DaemonMetrics(() => 0);
        var status = "odd \"status\" \\ with\nnewline";
        metrics.OnStreamFailed(status);

        var text = await metrics.ExportAsync(CancellationToken.None);

        Assert.Contains("status=\"odd \\\"status\\\" \\\\ with\\nnewline\"", text, StringComparison.Ordinal);
        Assert.Equal(status, PrometheusTextParser.Parse(text)["v2a_stream_errors_total"].Samples.Single().Labels["status"]);
    }

    [Fact]
    public async Task TrackQueues_TwoStreams_SummedUntilDisposed()
    {
        var metrics = new DaemonMetrics(() => 0);
        var first = metrics.TrackQueues(() => [new("frames", 3), new("plan", 1)]);
        using var second = metrics.TrackQueues(() => [new("frames", 4), new("plan", 0)]);

        var depth = PrometheusTextParser.Parse(await metrics.ExportAsync(CancellationToken.None))["v2a_queue_depth"].Samples;
        Assert.Equal(7, depth.Single(s => s.Labels["queue"] == "frames").Value);
        Assert.Equal(1, depth.Single(s => s.Labels["queue"] == "plan").Value);

        first.Dispose();
        depth = PrometheusTextParser.Parse(await metrics.ExportAsync(CancellationToken.None))["v2a_queue_depth"].Samples;
        Assert.Equal(4, depth.Single(s => s.Labels["queue"] == "frames").Value);
    }

    [Fact]
    public async Task Observe_ManyThreads_NoCountLost()
    {
        var metrics = new DaemonMetrics(() => 0);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                metrics.OnChunkSent(0.5);
                metrics.OnFrameIngested();
                metrics.OnStageWork("plan", TimeSpan.FromMilliseconds(1));
            }
        })));

        var families = PrometheusTextParser.Parse(await metrics.ExportAsync(CancellationToken.None));
        Assert.Equal(80_000, families["v2a_frames_ingested_total"].Samples.Single().Value);
        Assert.Equal(80_000, families["v2a_chunk_latency_seconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
        Assert.Equal(80_000, families["v2a_stage_seconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
    }

    [Theory]
    [InlineData("m 1\n")]
    [InlineData("# TYPE m counter\nm 1\n")]
    [InlineData("# HELP m x\n# TYPE m counter\nm -1\n")]
    [InlineData("# HELP m x\n# TYPE m gauge\nm{a=\"\\t\"} 1\n")]
    [InlineData("# HELP m x\n# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n")]
    [InlineData("# HELP m x\n# TYPE m gauge\nother 1\n")]
    [InlineData("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n")]
    [InlineData("# HELP m x\n# TYPE m gauge\nm 1")]
    public void Parse_InvalidExposition_Rejected(string text)
    {
        Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));
    }
}
