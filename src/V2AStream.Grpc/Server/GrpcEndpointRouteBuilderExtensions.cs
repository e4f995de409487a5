using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using V2AStream.Grpc.Health;
using V2AStream.Grpc.Protocol;
using V2AStream.Grpc.Reflection;
using V2AStream.Grpc.Server.CallHandlers;

namespace V2AStream.Grpc.Server;

/// <summary>
/// Maps gRPC services onto ASP.NET Core endpoints: one POST route per method, and one catch-all
/// that answers UNIMPLEMENTED for gRPC calls to anything else. Needs <c>services.AddGrpcTransport()</c>.
/// </summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    private const string LoggerCategory = "V2AStream.Grpc.Server";

    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("gRPC services are not registered: call services.AddGrpcTransport() first.");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        registry.Add(service);

        var builders = new List<IEndpointConventionBuilder>();
        foreach (var method in service.Methods)
        {
            var handler = method.CreateHandler(options, logger);
            builders.Add(endpoints.MapPost(method.Path, handler.HandleCallAsync).WithDisplayName($"gRPC {method.Path}"));
        }

        if (registry.TryClaimUnimplementedEndpoint())
        {
            MapUnimplemented(endpoints, logger);
        }

        return new CompositeEndpointConventionBuilder(builders);
    }

    /// <summary>Maps grpc.health.v1.Health, answering from the <see cref="HealthService"/> singleton.</summary>
    public static IEndpointConventionBuilder MapGrpcHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthService>();
        return endpoints.MapGrpcService(health.CreateServiceDefinition());
    }

    /// <summary>
    /// Maps server reflection, v1 and v1alpha, over every service mapped on this server (before or
    /// after this call), so grpcurl, ghz, k6 and Postman work without the .proto files.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflection(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registry = endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>();
        var reflection = new ReflectionService(registry);
        return new CompositeEndpointConventionBuilder(
        [
            endpoints.MapGrpcService(reflection.CreateV1ServiceDefinition()),
            endpoints.MapGrpcService(reflection.CreateV1AlphaServiceDefinition()),
        ]);
    }

    private static void MapUnimplemented(IEndpointRouteBuilder endpoints, ILogger logger)
    {
        var builder = endpoints.Map("/{**grpcPath}", httpContext =>
        {
            if (!GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType))
            {
                httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            GrpcServerLog.Unimplemented(logger, httpContext.Request.Path);
            GrpcHttpErrors.WriteTrailersOnly(httpContext, StatusCode.Unimplemented, $"Method {httpContext.Request.Path} is unimplemented on this server.");
            return Task.CompletedTask;
        });

        // Last in line: every mapped method, and anything else the application maps, wins over it.
        builder.Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue);
        builder.WithDisplayName("gRPC unimplemented");
    }
}
