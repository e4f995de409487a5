using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon;

/// <summary>
/// The HTTP proxy one http(s) URL source's ffmpeg goes through (its -http_proxy), on a loopback port of its own for the
/// stream's lifetime: every request it makes, for the playlist, its segments and any redirect, is checked against the
/// source's <see cref="SourceHosts"/> before anything is connected, and goes to the address that was checked. A refused
/// host gets 403 at once, with nothing tried, so the answer says nothing about whether it is up. https goes through
/// CONNECT tunnels (the host is checked, the TLS stays end to end); plain http is forwarded one request per connection.
/// </summary>
internal sealed class EgressProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private const int MaxConnections = 16;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SourceHosts _hosts;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _connections = new(MaxConnections);
    private readonly Task _accepting;
    private string? _refusal;
    private int _disposed;

    private EgressProxy(SourceHosts hosts, ILogger logger)
    {
        _hosts = hosts;
        _logger = logger;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}/");
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy URL for ffmpeg's -http_proxy.</summary>
    public Uri Url { get; }

    /// <summary>Why the first refused request was refused (a host outside the policy), or null when none was.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    public static EgressProxy Start(SourceHosts hosts, ILogger logger) => new(hosts, logger);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
        _connections.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            if (!await _connections.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                await ServeRequestAsync(client.GetStream(), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The stream ended, ffmpeg or the server hung up.
            }
            finally
            {
                _connections.Release();
            }
        }
    }

    private async Task ServeRequestAsync(NetworkStream downstream, CancellationToken cancellationToken)
    {
        string head;
        using (var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headTimeout.CancelAfter(HeadTimeout);
            head = await ReadHeadAsync(downstream, headTimeout.Token).ConfigureAwait(false) ?? string.Empty;
        }

        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !TryTarget(requestLine[0], requestLine[1], out var host, out var port, out var pathAndQuery))
        {
            await AnswerAsync(downstream, "400 Bad Request", cancellationToken).ConfigureAwait(false);
            return;
        }

        var decision = await _hosts.CheckAsync(host, cancellationToken).ConfigureAwait(false);
        if (decision.Address is not { } address)
        {
            if (decision.PolicyRefused)
            {
                Interlocked.CompareExchange(ref _refusal, decision.Refusal, null);
                DaemonLog.EgressRefused(_logger, host, decision.Refusal!);
            }

            await AnswerAsync(downstream, decision.PolicyRefused ? "403 Forbidden" : "502 Bad Gateway", cancellationToken).ConfigureAwait(false);
            return;
        }

        using var upstream = new TcpClient(address.AddressFamily);
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(ConnectTimeout);
            try
            {
                await upstream.ConnectAsync(address, port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // An allowed host: saying it cannot be reached is the useful answer.
                await AnswerAsync(downstream, "502 Bad Gateway", cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var upstreamStream = upstream.GetStream();
        if (requestLine[0] == "CONNECT")
        {
            await AnswerAsync(downstream, "200 Connection Established", cancellationToken, close: false).ConfigureAwait(false);
        }
        else
        {
            var forwarded = new StringBuilder().Append(requestLine[0]).Append(' ').Append(pathAndQuery).Append(' ').Append(requestLine[2]).Append("\r\n");
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var name = line.Split(':', 2)[0].Trim();
                if (!name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    forwarded.Append(line).Append("\r\n");
                }
            }

            // One request per connection: a later request on it, to another host, must come back through the check.
            forwarded.Append("Connection: close\r\n\r\n");
            await upstreamStream.WriteAsync(Encoding.Latin1.GetBytes(forwarded.ToString()), cancellationToken).ConfigureAwait(false);
        }

        using var relay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = downstream.CopyToAsync(upstreamStream, relay.Token);
        var down = upstreamStream.CopyToAsync(downstream, relay.Token);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        await relay.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(up, down).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>The host, port and origin-form target of a proxy request (CONNECT host:port, or an absolute http:// URL).</summary>
    private static bool TryTarget(string method, string target, out string host, out int port, out string pathAndQuery)
    {
        host = string.Empty;
        port = 0;
        pathAndQuery = "/";
        var absolute = method == "CONNECT" ? "https://" + target : target;
        if (!Uri.TryCreate(absolute, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || (method == "CONNECT" && target.IndexOf(':', StringComparison.Ordinal) < 0))
        {
            return false;
        }

        host = uri.Host;
        port = uri.Port;
        pathAndQuery = uri.PathAndQuery;
        return true;
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        // Byte by byte up to the blank line, so nothing after the head (a tunnel's first bytes) is taken.
        var head = new List<byte>(512);
        var one = new byte[1];
        while (head.Count < MaxHeadBytes)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return Encoding.Latin1.GetString(head.ToArray(), 0, head.Count - 4);
            }
        }

        return null;
    }

    private static Task AnswerAsync(NetworkStream stream, string status, CancellationToken cancellationToken, bool close = true) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(close ? $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" : $"HTTP/1.1 {status}\r\n\r\n"), cancellationToken).AsTask();
}
