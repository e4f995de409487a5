using Grpc.Net.Client;

namespace V2AStream.Client;

/// <summary>A gRPC channel to a daemon: HTTP/2 with prior knowledge for http://, TLS for https://, keepalive pings on.</summary>
internal static class DaemonChannel
{
    public static GrpcChannel Create(Uri server) => GrpcChannel.ForAddress(server, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // More concurrent calls than the server's streams-per-connection limit open another connection.
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
        DisposeHttpClient = true,
    });
}
