using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V2AStream.Grpc.Client;
using V2AStream.Grpc.Health;
using V2AStream.Grpc.Server;

namespace V2AStream.Grpc.Tests.Support;

/// <summary>
/// A real Kestrel server on loopback (port 0) with the Echo test service, health and reflection:
/// an HTTP/2-only endpoint for gRPC and an HTTP/1.1 endpoint to prove the 426 check.
/// </summary>
public sealed class GrpcTestServer : IAsyncLifetime
{
    private WebApplication? _app;
    private ListenOptions? _http2;
    private ListenOptions? _http1;
    private readonly Action<KestrelServerOptions>? _configureKestrel;
    private int _interceptedCalls;

    public GrpcTestServer()
    {
    }

    /// <summary>A server with other Kestrel limits, started by the test itself (InitializeAsync).</summary>
    internal GrpcTestServer(Action<KestrelServerOptions> configureKestrel)
    {
        _configureKestrel = configureKestrel;
    }

    public EchoProbe Probe { get; } = new();

    public Uri Http2Address => new($"http://127.0.0.1:{_http2!.IPEndPoint!.Port}");

    public Uri Http1Address => new($"http://127.0.0.1:{_http1!.IPEndPoint!.Port}");

    public HealthService Health => _app!.Services.GetRequiredService<HealthService>();

    public GrpcClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            _configureKestrel?.Invoke(kestrel);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                _http2 = listen;
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                _http1 = listen;
            });
        });
        builder.Services.AddGrpcTransport(options => options.CallInterceptor = DenyWhenAskedAsync);
        _app = builder.Build();
        _app.MapGrpcService(new EchoService(Probe).CreateDefinition());
        _app.MapGrpcHealth();
        _app.MapGrpcReflection();
        await _app.StartAsync();
        Client = new GrpcClient(Http2Address);
    }

    /// <summary>The interceptor under test: refuses calls that carry "x-deny", counts those it lets through.</summary>
    public int InterceptedCalls => Volatile.Read(ref _interceptedCalls);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task DenyWhenAskedAsync(ServerCallContext context, Func<Task> next)
    {
        if (context.RequestHeaders.GetValue("x-deny") is { } reason)
        {
            throw new RpcException(StatusCode.Unauthenticated, reason);
        }

        Interlocked.Increment(ref _interceptedCalls);
        await next();
    }
}
