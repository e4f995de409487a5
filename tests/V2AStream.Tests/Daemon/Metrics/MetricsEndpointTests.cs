using System.Net;
using Grpc.Core;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon.Metrics;

/// <summary>A real daemon with its HTTP/1.1 metrics port on: a stream through it moves the counters.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-metrics-tests-").FullName;
    private DaemonHost? _host;

    private string Clip => Path.Combine(_directory, "two-scenes-10s.mp4");

    public async Task InitializeAsync()
    {
        await DaemonFixture.FfmpegAsync(
        [
            "-f", "lavfi", "-t", "5", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-t", "5", "-i", "smptebars=size=160x120:rate=25",
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", "-y", Clip,
        ]);
        // Counts are checked from zero: the warm-up's two streams would be counted too.
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = "127.0.0.1:0", MaxStreams = 2, Warmup = false };
        _host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Metrics_AfterOneStream_CountersMovedAndFormatStrict()
    {
        using var http = new HttpClient { BaseAddress = _host!.HealthAddress };
        var before = PrometheusTextParser.Parse(await http.GetStringAsync("/metrics"));

        var responses = await DaemonCalls.GenerateAsync(_host.GrpcAddress, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), Clip));
        Assert.Equal(GenerateResponse.EventOneofCase.Summary, responses[^1].EventCase);

        using var reply = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("text/plain", reply.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", reply.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var after = PrometheusTextParser.Parse(await reply.Content.ReadAsStringAsync());
        double Value(Dictionary<string, PrometheusTextParser.Family> families, string name) => families[name].Samples.Single().Value;
        Assert.Equal(0, Value(before, "v2a_streams_total"));
        Assert.Equal(1, Value(after, "v2a_streams_total"));
        Assert.Equal(0, Value(after, "v2a_streams_active"));
        Assert.Equal((double)responses[^1].Summary.FramesDecoded, Value(after, "v2a_frames_ingested_total"));
        Assert.Equal((double)responses[^1].Summary.BlocksGenerated, Value(after, "v2a_blocks_generated_total"));
        var chunks = responses.Count(r => r.EventCase == GenerateResponse.EventOneofCase.Audio);
        var latencyCount = after["v2a_chunk_latency_seconds"].Samples.Single(s => s.Name == "v2a_chunk_latency_seconds_count").Value;
        Assert.InRange(latencyCount, chunks - 1, chunks);
        Assert.Equal(["embed", "generate", "plan", "stitch"], after["v2a_stage_seconds"].Samples.Select(s => s.Labels["stage"]).Distinct().Order());
        Assert.Equal(["embedder", "generator"], after["v2a_model_run_seconds"].Samples.Select(s => s.Labels["model"]).Distinct().Order());
        Assert.Empty(after["v2a_stream_errors_total"].Samples);
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthPortPaths_OnTheGrpcPort_NotFound(string path)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var http11 = new HttpClient();

        using var onGrpcPort = await http.GetAsync(new Uri(_host!.GrpcAddress, path));
        using var onHealthPort = await http11.GetAsync(new Uri(_host.HealthAddress!, path));

        Assert.Equal(HttpStatusCode.NotFound, onGrpcPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onHealthPort.StatusCode);
    }

    [Fact]
    public async Task Readyz_Idle_ReadyWithTheStreamCount()
    {
        using var http = new HttpClient { BaseAddress = _host!.HealthAddress };

        Assert.Equal("ready: 0 of 2 streams\n", await http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task GrpcCall_OnTheHealthPort_Refused()
    {
        var error = await Assert.ThrowsAnyAsync<RpcException>(() => DaemonCalls.GetInfoAsync(_host!.HealthAddress!));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }

    [Fact]
    public async Task Metrics_StreamRefusedBeforeItStarted_ErrorCountedByStatus()
    {
        using var http = new HttpClient { BaseAddress = _host!.HealthAddress };
        var mediaFirst = DaemonCalls.Messages(new GenerateRequest { Media = Google.Protobuf.ByteString.CopyFrom(new byte[16]) });

        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(_host.GrpcAddress, mediaFirst));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var after = PrometheusTextParser.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(1, after["v2a_stream_errors_total"].Samples.Single(s => s.Labels["status"] == "InvalidArgument").Value);
        Assert.Equal(0, after["v2a_streams_total"].Samples.Single().Value);
    }
}
