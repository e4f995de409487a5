using System.Net.Sockets;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// The audit trail of refused calls: after every call on the gRPC port, one Information line with the method, the
/// peer's address and the status, when the call was refused for want of a token (HTTP 401: UNAUTHENTICATED), a
/// permission (PERMISSION_DENIED) or capacity (RESOURCE_EXHAUSTED: too many streams, a message over the limit).
/// Grpc.AspNetCore leaves each call's final status on its <see cref="IServerCallContextFeature"/>, whichever layer set it.
/// </summary>
internal sealed class RefusedCallLog(RequestDelegate next, ILogger<RefusedCallLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            DaemonLog.CallRefused(logger, context.Request.Path, PeerOf(context.Connection), nameof(StatusCode.Unauthenticated), "no valid bearer token");
        }
        else if (context.Features.Get<IServerCallContextFeature>()?.ServerCallContext is { Status.StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.ResourceExhausted } call)
        {
            DaemonLog.CallRefused(logger, call.Method, call.Peer, call.Status.StatusCode.ToString(), call.Status.Detail);
        }
    }

    /// <summary>The peer as gRPC writes it, e.g. "ipv4:127.0.0.1:51234".</summary>
    private static string PeerOf(ConnectionInfo connection) => connection.RemoteIpAddress switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } address => $"ipv6:[{address}]:{connection.RemotePort}",
        var address => $"ipv4:{address}:{connection.RemotePort}",
    };
}
