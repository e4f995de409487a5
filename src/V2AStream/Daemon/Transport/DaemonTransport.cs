using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using V2AStream.Hosting;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// The daemon's gRPC stack in one place, so that tests can host their own services on exactly the daemon's settings:
/// Kestrel's endpoints and limits, Grpc.AspNetCore with server reflection (v1 and v1alpha) and grpc.health.v1 (ASP.NET
/// Core health checks), the token, and the middleware around every call. Application services add their own message
/// size (<see cref="GrpcServiceOptions.MaxReceiveMessageSize"/> through AddServiceOptions); every other service, health
/// and reflection included, takes requests of at most <see cref="DaemonOptions.MaxControlRequestBytes"/>.
/// </summary>
internal static class DaemonTransport
{
    /// <summary>
    /// Kestrel: the gRPC endpoint (HTTP/2 only, TLS when <paramref name="certificate"/> is given), the health endpoint
    /// (HTTP/1.1) when <paramref name="health"/> is given, and the connection, stream and keepalive limits.
    /// </summary>
    public static KestrelEndpoints ConfigureKestrel(IWebHostBuilder webHost, DaemonOptions options, IPEndPoint grpc, IPEndPoint? health, X509Certificate2? certificate)
    {
        var endpoints = new KestrelEndpoints { UsesTls = certificate is not null };
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay == TimeSpan.Zero ? TimeSpan.MaxValue : options.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
            kestrel.Listen(grpc, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }

                endpoints.Grpc = listen;
            });
            if (health is not null)
            {
                kestrel.Listen(health, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    endpoints.Health = listen;
                });
            }
        });
        return endpoints;
    }

    /// <summary>Grpc.AspNetCore with its limits and interceptors, reflection, health checks and, when a token is set, the token scheme.</summary>
    public static IGrpcServerBuilder AddDaemonGrpc(this IServiceCollection services, DaemonOptions options)
    {
        var grpc = services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxControlRequestBytes;

            // Never put an exception's text on the wire: a handler's failure is UNKNOWN "Exception was thrown by handler."
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<OutputProgressInterceptor>(options.OutputProgressTimeout);
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks();
        services.TryAddSingleton(TimeProvider.System);
        if (!string.IsNullOrEmpty(options.Token))
        {
            services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, scheme => scheme.Token = options.Token);

            // Every endpoint needs the token unless it says otherwise (health checks do), services added later included.
            services.AddAuthorization(authorization => authorization.FallbackPolicy = new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        }

        return grpc;
    }

    /// <summary>The middleware around every call, then reflection and health; map the application's services after this.</summary>
    public static void UseDaemonGrpc(this WebApplication app, DaemonOptions options)
    {
        app.UseMiddleware<RefusedCallLog>();
        if (!string.IsNullOrEmpty(options.Token))
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.UseMiddleware<FirstMessageDeadline>(options.FirstMessageTimeout);
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService().AllowAnonymous();
    }
}
