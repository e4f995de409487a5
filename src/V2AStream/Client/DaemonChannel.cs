using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace V2AStream.Client;

/// <summary>A gRPC channel to a daemon: HTTP/2 with prior knowledge for http://, TLS for https://, keepalive pings on.</summary>
internal static class DaemonChannel
{
    /// <param name="server">The daemon's address.</param>
    /// <param name="trustedCertificate">Over TLS, accept exactly this certificate whatever its name and issuer; null validates as usual.</param>
    public static GrpcChannel Create(Uri server, X509Certificate2? trustedCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            // More concurrent calls than the server's streams-per-connection limit open another connection.
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        if (trustedCertificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(trustedCertificate.GetCertHash());
        }

        return GrpcChannel.ForAddress(server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
