using Microsoft.AspNetCore.Http;

namespace V2AStream.Grpc.Server;

/// <summary>
/// What a handler knows about its call: the caller's metadata, deadline and cancellation, and the
/// response headers and trailers it may add to. One per call; not thread-safe.
/// </summary>
public sealed class ServerCallContext
{
    private readonly GrpcServerCall _call;

    internal ServerCallContext(GrpcServerCall call, string method, string peer, DateTime deadline, Metadata requestHeaders, CancellationToken cancellationToken)
    {
        _call = call;
        Method = method;
        Peer = peer;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        CancellationToken = cancellationToken;
    }

    /// <summary>The full method path, e.g. "/grpc.health.v1.Health/Check".</summary>
    public string Method { get; }

    /// <summary>The caller's address as gRPC writes it, e.g. "ipv4:127.0.0.1:51234".</summary>
    public string Peer { get; }

    /// <summary>The call's deadline in UTC; <see cref="DateTime.MaxValue"/> when the caller set none.</summary>
    public DateTime Deadline { get; }

    /// <summary>Cancelled when the caller cancels or resets the call, or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The caller's custom metadata (protocol headers left out); "-bin" values decoded.</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Headers to send with the response; sent with the first message or by <see cref="WriteResponseHeadersAsync"/>.</summary>
    public Metadata ResponseHeaders { get; } = new();

    /// <summary>Trailers to send with the status at the end of the call.</summary>
    public Metadata ResponseTrailers { get; } = new();

    /// <summary>Sends <see cref="ResponseHeaders"/> now, before any message.</summary>
    public Task WriteResponseHeadersAsync(CancellationToken cancellationToken = default) =>
        _call.WriteResponseHeadersAsync(cancellationToken);

    /// <summary>The underlying HTTP/2 request, for what gRPC does not model (connection info, features).</summary>
    public HttpContext GetHttpContext() => _call.HttpContext;
}
