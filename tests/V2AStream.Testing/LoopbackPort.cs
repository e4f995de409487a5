using System.Net;
using System.Net.Sockets;

namespace V2AStream.Testing;

/// <summary>Loopback ports for the servers tests and benches start as children (nginx, haproxy, a published daemon).</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on now (the kernel's pick; another process may still take it before the child binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts TCP connections on <paramref name="port"/> of 127.0.0.1.</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
