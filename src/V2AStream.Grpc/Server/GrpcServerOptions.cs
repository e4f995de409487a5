namespace V2AStream.Grpc.Server;

/// <summary>Limits of the gRPC server; bind from configuration or set in <c>AddGrpcTransport</c>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// Largest request message accepted, in bytes, after decompression (default 4 MiB, as grpc-dotnet);
    /// beyond it the call ends with RESOURCE_EXHAUSTED. Null: no limit.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Runs around every call's handler (all services, health and reflection included): check a
    /// token, count streams, add log scope. Call <c>next()</c> to run the handler; throw
    /// <see cref="RpcException"/> instead to refuse the call with that status (sent trailers-only
    /// when nothing was written yet). Null: handlers run directly.
    /// </summary>
    public Func<ServerCallContext, Func<Task>, Task>? CallInterceptor { get; set; }
}
