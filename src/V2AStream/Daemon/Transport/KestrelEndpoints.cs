using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace V2AStream.Daemon.Transport;

/// <summary>The daemon's two Kestrel endpoints; their ports are the bound ones once the server has started (port 0 resolved).</summary>
internal sealed class KestrelEndpoints
{
    public ListenOptions? Grpc { get; set; }

    public ListenOptions? Health { get; set; }

    public bool UsesTls { get; set; }

    /// <summary>The health port, or null when it is off (or not yet bound).</summary>
    public int? HealthPort => Health?.IPEndPoint?.Port;

    public Uri GrpcAddress => Address(Grpc?.IPEndPoint ?? throw new InvalidOperationException("The gRPC endpoint is not configured."), UsesTls ? "https" : "http");

    public Uri? HealthAddress => Health?.IPEndPoint is { } endpoint ? Address(endpoint, "http") : null;

    private static Uri Address(IPEndPoint endpoint, string scheme) => new UriBuilder(scheme, endpoint.Address.ToString(), endpoint.Port).Uri;
}
