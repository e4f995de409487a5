using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using V2AStream.Client;
using V2AStream.Daemon.Transport;
using V2AStream.Hosting;

namespace V2AStream.Tests.Grpc;

/// <summary>
/// The test-only Echo service (echo.proto) on the daemon's own gRPC stack (<see cref="DaemonTransport"/>: Kestrel
/// limits, Grpc.AspNetCore settings, reflection, health, the middleware around calls), on a free loopback port, so
/// real clients can exercise the transport without the engine behind it.
/// </summary>
public sealed class EchoServer : IAsyncLifetime
{
    private readonly DaemonOptions _options;
    private readonly Action<KestrelServerOptions>? _configureKestrel;
    private WebApplication? _app;
    private KestrelEndpoints? _endpoints;

    public EchoServer()
        : this(new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty })
    {
    }

    /// <summary>A server with other settings, or other Kestrel limits on top of the daemon's; the test starts it (InitializeAsync).</summary>
    internal EchoServer(DaemonOptions options, Action<KestrelServerOptions>? configureKestrel = null)
    {
        _options = options;
        _configureKestrel = configureKestrel;
    }

    public EchoProbe Probe { get; } = new();

    public Uri Http2Address => _endpoints!.GrpcAddress;

    public GrpcChannel Channel { get; private set; } = null!;

    internal Echo.Echo.EchoClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        DaemonOptions.TryParseEndpoint(_options.Listen, out var endpoint);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _endpoints = DaemonTransport.ConfigureKestrel(builder.WebHost, _options, endpoint, health: null, certificate: null);
        if (_configureKestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(_configureKestrel);
        }

        builder.Services.AddSingleton(Probe);
        builder.Services.AddDaemonGrpc(_options)
            .AddServiceOptions<EchoService>(service => service.MaxReceiveMessageSize = _options.MaxReceiveMessageBytes);

        // grpc.health.v1 answers from the health checks registered; with none it would say UNKNOWN.
        builder.Services.AddHealthChecks().AddCheck("echo", () => HealthCheckResult.Healthy());
        _app = builder.Build();
        _app.UseDaemonGrpc(_options);
        _app.MapGrpcService<EchoService>();
        await _app.StartAsync();
        Channel = DaemonChannel.Create(Http2Address);
        Client = new Echo.Echo.EchoClient(Channel);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
