using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using V2AStream.Grpc.Health;

namespace V2AStream.Grpc.Server;

/// <summary>Registers the gRPC transport: options, the service registry and the health service.</summary>
public static class GrpcServiceCollectionExtensions
{
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<HealthService>();
        return services;
    }
}
