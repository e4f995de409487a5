using Microsoft.Extensions.Logging;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>Logs written while a stream runs, even by the engine that knows nothing of requests, carry its request id.</summary>
public sealed class StreamLogScopeTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-scope-tests-").FullName;
    private readonly ScopeRecordingLoggerProvider _logs = new();
    private DaemonHost? _host;

    private string Clip => Path.Combine(_directory, "four-seconds.mp4");

    public async Task InitializeAsync()
    {
        await DaemonFixture.TestsrcClipAsync(Clip, seconds: 4);
        // Every log line is checked: the warm-up's streams would log too.
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 1, Warmup = false };
        _host = await DaemonHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs), "test", CancellationToken.None);
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
    public async Task Generate_EngineLogsDuringTheStream_CarryTheRequestId()
    {
        var config = DaemonCalls.Config();
        config.RequestId = "scope-test-7";

        var responses = await DaemonCalls.GenerateAsync(_host!.GrpcAddress, DaemonCalls.ConfigThenFile(config, Clip));

        Assert.Equal(GenerateResponse.EventOneofCase.Summary, responses[^1].EventCase);
        var engine = _logs.Entries.Where(e => e.Category.StartsWith("V2AStream.Core", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(engine);
        Assert.All(engine, e => Assert.Equal("scope-test-7", e.Scope.GetValueOrDefault("RequestId")));

        // What the console's scope formatting prints: the request id, not the scope's type name.
        Assert.All(engine, e => Assert.Contains("RequestId:scope-test-7", e.ScopeTexts));
        Assert.DoesNotContain(_logs.Entries.SelectMany(e => e.ScopeTexts), text => text.Contains("KeyValuePair", StringComparison.Ordinal));
    }
}
