using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Models;
using V2AStream.Daemon.Metrics;
using V2AStream.Grpc;
using V2AStream.Grpc.Health;
using V2AStream.Grpc.Server;
using V2AStream.Hosting;
using V2AStream.Onnx;

namespace V2AStream.Daemon;

/// <summary>
/// The daemon: Kestrel with one HTTP/2 endpoint for gRPC (the V2AStream service, health, reflection) and one
/// HTTP/1.1 endpoint for /healthz, /readyz and /metrics (Prometheus text). Model sets are built before it listens, so a broken default set
/// stops it at start-up with the reason. Stopping it drains running streams (see <see cref="ShutdownCoordinator"/>).
/// </summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelSetRegistry _modelSets;
    private readonly ShutdownCoordinator _shutdown;

    private DaemonHost(WebApplication app, ModelSetRegistry modelSets, ShutdownCoordinator shutdown)
    {
        _app = app;
        _modelSets = modelSets;
        _shutdown = shutdown;
    }

    /// <summary>The gRPC address actually bound (the port is resolved when 0 was asked for).</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    /// <summary>The /healthz endpoint's address, or null when turned off.</summary>
    public Uri? HealthAddress { get; private set; }

    /// <summary>Builds the model sets and starts listening; throws <see cref="ModelSetException"/> or <see cref="OrtException"/> with the reason when it cannot.</summary>
    public static async Task<DaemonHost> StartAsync(DaemonOptions options, Action<ILoggingBuilder> configureLogging, string ffmpegVersion, CancellationToken cancellationToken)
    {
        DaemonOptions.TryParseEndpoint(options.Listen, out var grpcEndpoint);
        IPEndPoint? healthEndpoint = null;
        if (!string.IsNullOrEmpty(options.MetricsListen))
        {
            DaemonOptions.TryParseEndpoint(options.MetricsListen, out var parsed);
            healthEndpoint = parsed;
        }

        var catalog = ModelSetCatalog.CreateDefault();
        var defaultSet = catalog.Resolve(options.ModelSet);
        OrtRuntime? runtime = null;
        if (defaultSet.NeedsOnnxRuntime)
        {
            runtime = OrtRuntime.Load();
        }
        else
        {
            // Other sets may need it; without it they are listed as unavailable, and the builtin default still runs.
            try
            {
                runtime = OrtRuntime.Load();
            }
            catch (OrtException)
            {
            }
        }

        var modelSets = new ModelSetRegistry(catalog, runtime, options.ModelSet);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(grpcEndpoint, listen => listen.Protocols = HttpProtocols.Http2);
            if (healthEndpoint is not null)
            {
                kestrel.Listen(healthEndpoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var streams = new StreamLimiter(options.MaxStreams);
        builder.Services.AddGrpcTransport(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            if (!string.IsNullOrEmpty(options.Token))
            {
                grpc.CallInterceptor = TokenCheck(options.Token);
            }
        });

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var health = app.Services.GetRequiredService<HealthService>();
        var shutdown = new ShutdownCoordinator(app.Lifetime, health, streams, options.ShutdownTimeout, loggerFactory.CreateLogger<ShutdownCoordinator>());
        var policy = new SourcePolicy(options.AllowRoots, options.AllowSchemes, options.AllowHosts);
        var translator = new StreamConfigTranslator(modelSets.DefaultSet, modelSets.Names, options.LiveJitterBuffer, options.ToCaps());
        var metrics = new DaemonMetrics(() => streams.Active);
        var gate = new StreamGate(streams, shutdown, options.MaxStreamDuration, metrics, loggerFactory.CreateLogger<StreamGate>());
        var runner = new StreamRunner(modelSets, metrics, loggerFactory, TimeProvider.System, options.ToReaderOptions());
        var service = V2AStreamService.Create(
            new GenerateHandler(translator, gate, runner, loggerFactory.CreateLogger<GenerateHandler>()),
            new SourceHandlers(policy, translator, gate, runner, modelSets, options.ToReaderOptions(), loggerFactory),
            new InfoHandler(modelSets, streams, policy, options, ffmpegVersion),
            metrics);
        app.MapGrpcService(service);
        app.MapGrpcHealth();
        app.MapGrpcReflection();
        health.SetStatus("v2astream.v1.V2AStream", V2AStream.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => shutdown.IsDraining
            ? Results.Text("draining\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text($"ready: {streams.Active} of {streams.MaxStreams} streams\n"));
        app.MapGet("/metrics", () => Results.Text(metrics.WriteTo(), PrometheusTextWriter.ContentType));

        var host = new DaemonHost(app, modelSets, shutdown);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        host.GrpcAddress = addresses.First(a => a.Port == grpcEndpoint.Port || grpcEndpoint.Port == 0);
        host.HealthAddress = healthEndpoint is null ? null : addresses.FirstOrDefault(a => a != host.GrpcAddress);
        DaemonLog.Listening(loggerFactory.CreateLogger<DaemonHost>(), host.GrpcAddress.ToString(), host.HealthAddress?.ToString() ?? "(off)", modelSets.DefaultSet);
        return host;
    }

    /// <summary>Completes when the host has stopped (Ctrl-C, SIGTERM, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops gracefully: new streams are refused, running ones drain, then end with UNAVAILABLE.</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _modelSets.Dispose();
        _modelSets.Runtime?.Dispose();
    }

    /// <summary>Every call but health checks must carry "authorization: Bearer TOKEN", compared in constant time.</summary>
    private static Func<ServerCallContext, Func<Task>, Task> TokenCheck(string token)
    {
        var expected = Encoding.UTF8.GetBytes($"Bearer {token}");
        return (context, next) =>
        {
            if (!context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal))
            {
                var given = Encoding.UTF8.GetBytes(context.RequestHeaders.GetValue("authorization") ?? string.Empty);
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    throw new RpcException(StatusCode.Unauthenticated, "This server needs a token: send the header 'authorization: Bearer <token>' (v2a stream --token).");
                }
            }

            return next();
        };
    }
}
