namespace V2AStream.Grpc.Client;

/// <summary>Settings of a <see cref="GrpcClient"/>.</summary>
public sealed class GrpcClientOptions
{
    /// <summary>Largest response message accepted, in bytes (default 4 MiB); beyond it RESOURCE_EXHAUSTED. Null: no limit.</summary>
    public int? MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>The HTTP handler to send through; null: a <see cref="System.Net.Http.SocketsHttpHandler"/> owned by the client.</summary>
    public HttpMessageHandler? Handler { get; init; }
}
