using System.Net;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using V2AStream.Core.Models;
using V2AStream.Daemon.Metrics;
using V2AStream.Daemon.Transport;
using V2AStream.Hosting;
using V2AStream.Onnx;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Daemon;

/// <summary>
/// The daemon: Kestrel with one HTTP/2 endpoint for gRPC (the V2AStream service, health, reflection; see
/// <see cref="DaemonTransport"/>) and one HTTP/1.1 endpoint that serves /healthz, /readyz and /metrics (Prometheus text),
/// which are served nowhere else. Model sets are built before it listens, so a broken default set stops it at start-up
/// with the reason. Stopping it drains running streams (see <see cref="ShutdownCoordinator"/>).
/// </summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KestrelEndpoints _endpoints;

    private DaemonHost(WebApplication app, KestrelEndpoints endpoints)
    {
        _app = app;
        _endpoints = endpoints;
    }

    /// <summary>The gRPC address actually bound (the port is resolved when 0 was asked for); https when TLS is on.</summary>
    public Uri GrpcAddress => _endpoints.GrpcAddress;

    /// <summary>The health endpoint's address (/healthz, /readyz, /metrics), or null when turned off.</summary>
    public Uri? HealthAddress => _endpoints.HealthAddress;

    /// <summary>
    /// Builds the model sets and starts listening; throws <see cref="ModelSetException"/> or <see cref="OrtException"/>
    /// with the reason when it cannot, and <see cref="DaemonConfigurationException"/> for a TLS certificate it cannot load.
    /// </summary>
    public static async Task<DaemonHost> StartAsync(DaemonOptions options, Action<ILoggingBuilder> configureLogging, string ffmpegVersion, CancellationToken cancellationToken)
    {
        DaemonOptions.TryParseEndpoint(options.Listen, out var grpcEndpoint);
        IPEndPoint? healthEndpoint = null;
        if (!string.IsNullOrEmpty(options.MetricsListen))
        {
            DaemonOptions.TryParseEndpoint(options.MetricsListen, out var parsed);
            healthEndpoint = parsed;
        }

        var certificate = ServerCertificate.Load(options);
        var streams = new StreamLimiter(options.MaxStreams);
        var metrics = new DaemonMetrics(() => streams.Active);
        var loader = new ModelSetLoader(
            ModelSetCatalog.CreateDefault(),
            new ModelSetLoaderOptions { Device = OrtDevice.Parse(options.Device), Generation = options.Generation, Metrics = metrics });
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        var endpoints = DaemonTransport.ConfigureKestrel(builder.WebHost, options, grpcEndpoint, healthEndpoint, certificate);
        builder.Services.AddSingleton(streams);
        builder.Services.AddSingleton(sp => new ShutdownCoordinator(
            sp.GetRequiredService<IHostApplicationLifetime>(), streams, options.ShutdownTimeout, sp.GetRequiredService<ILogger<ShutdownCoordinator>>()));
        builder.Services.AddSingleton(sp => new ModelSetRegistry(loader, options.ModelSet, sp.GetRequiredService<ILogger<ModelSetRegistry>>()));
        builder.Services.AddSingleton(sp => CreateService(sp, options, sp.GetRequiredService<ModelSetRegistry>(), streams, metrics, ffmpegVersion));
        builder.Services.AddDaemonGrpc(options)
            .AddServiceOptions<V2AStreamService>(service => service.MaxReceiveMessageSize = options.MaxReceiveMessageBytes);
        builder.Services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        builder.Services.Configure<GrpcHealthChecksOptions>(health => health.Services.Map(V2AStreamApi.Descriptor.FullName, _ => true));

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();

        // Built now, so that it is listening for ApplicationStopping before the host can stop.
        app.Services.GetRequiredService<ShutdownCoordinator>();
        if (healthEndpoint is not null)
        {
            app.MapWhen(context => context.Connection.LocalPort == endpoints.HealthPort, health => MapHealthPort(health, metrics));
        }

        app.UseDaemonGrpc(options);
        app.MapGrpcService<V2AStreamService>();

        var host = new DaemonHost(app, endpoints);
        ModelSetRegistry modelSets;
        try
        {
            // The default set loads before the daemon listens, so a broken one stops it here with the reason.
            modelSets = app.Services.GetRequiredService<ModelSetRegistry>();
            await modelSets.GetAsync(modelSets.DefaultSet, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var logger = loggerFactory.CreateLogger<DaemonHost>();
        DaemonLog.Listening(logger, host.GrpcAddress.ToString(), host.HealthAddress?.ToString() ?? "(off)", modelSets.DefaultSet);
        if (certificate is null && !IPAddress.IsLoopback(grpcEndpoint.Address))
        {
            DaemonLog.CleartextBeyondLoopback(logger, host.GrpcAddress.ToString());
        }

        return host;
    }

    /// <summary>Completes when the host has stopped (Ctrl-C, SIGTERM, or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops gracefully: new streams are refused, running ones drain, then end with UNAVAILABLE.</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None);

    /// <summary>Stops the host; its services go with it, the model sets among them (each waiting for its generator runs).</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static V2AStreamService CreateService(IServiceProvider services, DaemonOptions options, ModelSetRegistry modelSets, StreamLimiter streams, DaemonMetrics metrics, string ffmpegVersion)
    {
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var policy = new SourcePolicy(options.AllowRoots, options.AllowSchemes, options.AllowHosts);
        var translator = new StreamConfigTranslator(modelSets.DefaultSet, modelSets.Names, options.LiveJitterBuffer, options.ToCaps());
        var gate = new StreamGate(streams, services.GetRequiredService<ShutdownCoordinator>(), options.MaxStreamDuration, metrics, loggerFactory.CreateLogger<StreamGate>());
        var runner = new StreamRunner(modelSets, metrics, loggerFactory, TimeProvider.System, options.ToReaderOptions());
        return new V2AStreamService(
            new GenerateHandler(translator, gate, runner, loggerFactory.CreateLogger<GenerateHandler>()),
            new SourceHandlers(policy, translator, gate, runner, modelSets, options.ToReaderOptions(), metrics, loggerFactory),
            new InfoHandler(modelSets, streams, policy, options, ffmpegVersion),
            metrics);
    }

    /// <summary>The health port: liveness, readiness (the same check as grpc.health.v1) and the metrics; nothing else.</summary>
    private static void MapHealthPort(IApplicationBuilder health, DaemonMetrics metrics)
    {
        health.UseHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (context, _) => WriteTextAsync(context, "ok") });
        health.UseHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = (context, report) => WriteTextAsync(context, string.Join("; ", report.Entries.Values.Select(e => e.Description))) });
        health.UseMetricServer("/metrics", metrics.Registry);
    }

    private static Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n");
    }
}
