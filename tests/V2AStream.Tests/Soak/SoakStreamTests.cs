using Grpc.Core;
using V2AStream.Protos.V1;
using V2AStream.Soak;
using V2AStream.Testing;

namespace V2AStream.Tests.Soak;

/// <summary>The soak client against a scripted server: every chunk's arrival is known, so latency and underruns are exact.</summary>
public sealed class SoakStreamTests : IDisposable
{
    private const double SourceSeconds = 10;
    private const int SourceBytes = 100_000;

    private readonly string _source = Path.Combine(Path.GetTempPath(), $"v2a-soak-{Guid.NewGuid():N}.bin");

    public SoakStreamTests() => File.WriteAllBytes(_source, new byte[SourceBytes]);

    public void Dispose() => File.Delete(_source);

    [Fact]
    public async Task RunAsync_ScriptedDelays_ExactPercentilesUnderrunsAndFirstAudio()
    {
        // 20 chunks of 0.5 s; chunk k ends at media (k + 1) * 0.5 s, which the paced client sent at that moment.
        // Each arrives 0.3 s later, except chunk 10, 1.3 s later: 0.5 s after the player needed it.
        var delays = Enumerable.Range(0, 20).Select(k => k == 10 ? 1.3 : 0.3).ToList();
        var arrivals = delays.Select((delay, k) => ((k + 1) * ScriptedServer.ChunkSeconds) + delay).ToList();
        var clock = new ScriptedTimeProvider();
        using var seen = new SemaphoreSlim(0);
        await using var server = await ScriptedServer.StartAsync(clock, arrivals, seen);

        var result = await new SoakStream(0, Options(server.Address), clock, soakOrigin: 0, _ => seen.Release()).RunAsync(CancellationToken.None);

        Assert.Equal(SourceBytes, server.BytesReceived);
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.Sessions);
        Assert.Equal(20, result.Latency.Count);
        Assert.Equal(0.3, result.Latency.Percentile(50), 3);
        Assert.Equal(0.3, result.Latency.Percentile(95), 3);
        Assert.Equal(1.3, result.Latency.Percentile(99), 3);
        Assert.Equal(1.3, result.Latency.Max, 3);
        Assert.Equal(0.8, result.TimeToFirstAudioSeconds, 6);

        // Playout starts at 0.8 s; chunk 10 (media 5.0 s) is due at 5.8 s and comes at 6.8 s: one underrun, a 1 s
        // stall, and the chunks after it are on time for the shifted clock.
        Assert.Equal(1, result.Underruns);
        Assert.Equal(1.0, result.StallSeconds, 6);
        Assert.Equal(10.0, result.MediaSeconds, 6);
        Assert.Equal(arrivals, result.Chunks.Select(c => c.ArrivalSeconds));
        Assert.Equal([10], result.Chunks.Select((c, k) => (c, k)).Where(x => x.c.Underrun).Select(x => x.k));
        Assert.All(result.Chunks, c => Assert.Equal(1, c.Session));
    }

    [Fact]
    public async Task ChunksCsv_ScriptedStream_OneRowPerChunkFlaggingTheUnderrun()
    {
        var result = await RunWithOneLateChunkAsync();
        var report = new SoakReport([result], [], growthFromSeconds: 120, childrenBefore: 0, childrenAfter: 0, wallSeconds: 10, mode: "live", realtime: true);

        var rows = report.ChunksCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("stream,session,media_start_s,arrival_s,latency_s,underrun", rows[0]);
        Assert.Equal(21, rows.Length);
        Assert.Equal("0,1,5.000,6.800,1.3000,1", Assert.Single(rows, row => row.EndsWith(",1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_ServerRefuses_ErrorCountedByStatusAndStreamStops()
    {
        var clock = new ScriptedTimeProvider();
        using var seen = new SemaphoreSlim(0);
        await using var server = await ScriptedServer.StartAsync(clock, [], seen, StatusCode.ResourceExhausted);

        var result = await new SoakStream(0, Options(server.Address) with { Duration = TimeSpan.FromHours(1) }, clock, soakOrigin: 0).RunAsync(CancellationToken.None);

        Assert.Equal(1, result.Errors["ResourceExhausted"]);
        Assert.Equal(1, result.Sessions);
        Assert.Equal(0, result.Latency.Count);
        Assert.True(double.IsNaN(result.TimeToFirstAudioSeconds));
    }

    [Fact]
    public async Task Report_FromScriptedStreams_JsonNamesP99AndUnderrunsAndSloFails()
    {
        var result = await RunWithOneLateChunkAsync();
        var memory = new List<MemorySample> { new(0, 100e6, 10e6), new(120, 200e6, 20e6), new(600, 210e6, 21e6) };

        var report = new SoakReport([result], memory, growthFromSeconds: 120, childrenBefore: 0, childrenAfter: 0, wallSeconds: 600, mode: "live", realtime: true);

        using var json = new MemoryStream();
        report.WriteJson(json);
        using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
        Assert.Equal(1.3, document.RootElement.GetProperty("p99_s").GetDouble(), 3);
        Assert.Equal(1, document.RootElement.GetProperty("underruns").GetInt32());
        Assert.Equal(5.0, document.RootElement.GetProperty("rss_growth_percent").GetDouble(), 6);
        Assert.Empty(report.CheckSlo(TimeSpan.FromSeconds(1.5), maxUnderruns: 1, maxRssGrowthPercent: 5, maxErrors: 0));
        var missed = report.CheckSlo(TimeSpan.FromSeconds(1.0), maxUnderruns: 0, maxRssGrowthPercent: 4, maxErrors: 0);
        Assert.Equal(3, missed.Count);
        Assert.Contains("p99 1.300 s", missed[0], StringComparison.Ordinal);

        var svg = System.Xml.Linq.XDocument.Parse(SoakPlot.Render(report));
        Assert.Equal(20, svg.Descendants("{http://www.w3.org/2000/svg}circle").Count());
    }

    /// <summary>20 chunks of 0.5 s, each arriving 0.3 s after its media was sent, except chunk 10: 1.3 s after.</summary>
    private async Task<SoakStreamResult> RunWithOneLateChunkAsync()
    {
        var clock = new ScriptedTimeProvider();
        using var seen = new SemaphoreSlim(0);
        var arrivals = Enumerable.Range(0, 20).Select(k => ((k + 1) * ScriptedServer.ChunkSeconds) + (k == 10 ? 1.3 : 0.3)).ToList();
        await using var server = await ScriptedServer.StartAsync(clock, arrivals, seen);
        return await new SoakStream(0, Options(server.Address), clock, soakOrigin: 0, _ => seen.Release()).RunAsync(CancellationToken.None);
    }

    private SoakStreamOptions Options(Uri server) => new()
    {
        Server = server,
        Config = new StreamConfig { Realtime = true },
        SourcePath = _source,
        SourceDuration = TimeSpan.FromSeconds(SourceSeconds),
        Realtime = true,
        Duration = TimeSpan.Zero,
    };
}
