using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>The audit trail: a refused call leaves one Information line with its method, the peer's address and the status.</summary>
public sealed class RefusedCallLogTests : IAsyncLifetime
{
    private readonly ScopeRecordingLoggerProvider _logs = new();
    private DaemonHost? _host;

    public async Task InitializeAsync()
    {
        // Every log line is checked: the warm-up's streams would log too.
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 1, Warmup = false };
        _host = await DaemonHost.StartAsync(options, logging => logging.AddProvider(_logs), "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task GenerateFromSource_OutsideAllowedRoots_PermissionDeniedLoggedWithThePeer()
    {
        await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.ServerStreamingAsync<GenerateResponse>(_host!.GrpcAddress, "GenerateFromSource", new SourceRequest { Source = "/etc/passwd" }));

        var refusal = Assert.Single(_logs.Entries, e => e.EventId == 3008);
        Assert.Equal(LogLevel.Information, refusal.Level);
        Assert.Matches(@"^Refused /v2astream\.v1\.V2AStream/GenerateFromSource from ipv4:127\.0\.0\.1:\d+: PermissionDenied Source refused: ", refusal.Message);
    }

    [Fact]
    public async Task Generate_OversizedMessage_ResourceExhaustedLoggedWithThePeer()
    {
        var requests = DaemonCalls.Messages(new GenerateRequest { Config = DaemonCalls.Config() }, new GenerateRequest { Media = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) });

        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(_host!.GrpcAddress, requests));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var refusal = Assert.Single(_logs.Entries, e => e.EventId == 3008);
        Assert.Matches(@"^Refused /v2astream\.v1\.V2AStream/Generate from ipv4:127\.0\.0\.1:\d+: ResourceExhausted ", refusal.Message);
    }
}
