using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace V2AStream.Testing.Media;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1:0 for URL inputs: serves files by path (404 elsewhere), answers the paths in
/// <see cref="Redirects"/> with a 302, and for the paths in <see cref="Silent"/> sends a 200 head and then nothing. Every
/// request line it received is in <see cref="Requests"/>.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyDictionary<string, byte[]> _files;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _accepting;

    public LocalHttpServer(byte[] clip)
        : this(new Dictionary<string, byte[]> { ["/clip"] = clip })
    {
    }

    public LocalHttpServer(IReadOnlyDictionary<string, byte[]> files)
    {
        _files = files;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ClipUrl => UrlOf("/clip");

    public string MissingUrl => UrlOf("/missing");

    /// <summary>Path to the Location its 302 answer names.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths answered with a 200 head and then no byte more, until the server is disposed.</summary>
    public ConcurrentBag<string> Silent { get; } = [];

    /// <summary>The request lines received ("GET /clip HTTP/1.1"), in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public string UrlOf(string path) => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(async c =>
            {
                try
                {
                    await c;
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                }
            }));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var requestLine = request.ToString().Split("\r\n")[0];
            _requests.Enqueue(requestLine);
            var path = requestLine.Split(' ')[1];
            if (Redirects.TryGetValue(path, out var location))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                return;
            }

            if (Silent.Contains(path))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"), _stop.Token);
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }

            if (!_files.TryGetValue(path, out var body))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                return;
            }

            var header = $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
        }
    }
}
