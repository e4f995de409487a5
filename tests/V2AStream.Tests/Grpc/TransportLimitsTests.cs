using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using V2AStream.Client;
using V2AStream.Hosting;
using V2AStream.Tests.Grpc.Echo;

namespace V2AStream.Tests.Grpc;

/// <summary>The limits the daemon's gRPC stack sets on connections and calls, each against a server with a small value of it.</summary>
public sealed class TransportLimitsTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Duplex_NoMessageWithinFirstMessageTimeout_DeadlineExceeded()
    {
        await using var server = await StartAsync(new DaemonOptions { FirstMessageTimeout = TimeSpan.FromSeconds(1) });
        using var call = server.Client.Duplex();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None)).WaitAsync(EventTimeout);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("No request message arrived within 1 s", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_MessageNotCompleteWithinFirstMessageTimeout_DeadlineExceeded()
    {
        await using var server = await StartAsync(new DaemonOptions { FirstMessageTimeout = TimeSpan.FromSeconds(1) });

        using var held = await HeldGrpcRequest.SendAsync(server.Http2Address, "/v2astream.testing.echo.Echo/Unary", announcedBytes: 1000, sentBytes: 10, EventTimeout);

        Assert.Equal("4", held.HeaderStatus);
        Assert.InRange(held.AnsweredAfter, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Connections_OneMoreThanTheLimit_Unavailable()
    {
        await using var server = await StartAsync(new DaemonOptions { MaxConnections = 2 });
        using var first = DaemonChannel.Create(server.Http2Address);
        using var second = DaemonChannel.Create(server.Http2Address);
        using var third = DaemonChannel.Create(server.Http2Address);
        using var holdFirst = new Echo.Echo.EchoClient(first).Duplex();
        using var holdSecond = new Echo.Echo.EchoClient(second).Duplex();
        await EchoOnceAsync(holdFirst);
        await EchoOnceAsync(holdSecond);

        var error = await Assert.ThrowsAsync<RpcException>(() => new Echo.Echo.EchoClient(third).UnaryAsync(new EchoRequest { Text = "third" }).ResponseAsync).WaitAsync(EventTimeout);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Streams_OneMoreThanThePerConnectionLimit_WaitsForAFreeStream()
    {
        await using var server = await StartAsync(new DaemonOptions { MaxStreamsPerConnection = 2 });
        using var channel = GrpcChannel.ForAddress(server.Http2Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } });
        var client = new Echo.Echo.EchoClient(channel);
        using var hold1 = client.Duplex();
        using var hold2 = client.Duplex();
        await EchoOnceAsync(hold1);
        await EchoOnceAsync(hold2);

        var third = client.UnaryAsync(new EchoRequest { Text = "third" }).ResponseAsync;

        // The server allows two streams on this connection: the third call waits, bounded here, for one to end.
        var finished = await Task.WhenAny(third, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.NotSame(third, finished);
        await hold1.RequestStream.CompleteAsync();
        Assert.False(await hold1.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("third", (await third.WaitAsync(EventTimeout)).Text);
    }

    [Fact]
    public async Task Connection_KeepAlivePingsUnanswered_PingedThenClosed()
    {
        await using var server = await StartAsync(new DaemonOptions { KeepAlivePingDelay = TimeSpan.FromSeconds(1), KeepAlivePingTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Http2Address.Port));
        using var stream = new NetworkStream(socket);

        // A client that opens HTTP/2 (preface, empty SETTINGS) and then never answers anything.
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await stream.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
        using var timeout = new CancellationTokenSource(EventTimeout);
        var frameTypes = new List<byte>();
        var header = new byte[9];
        while (await ReadExactlyOrEndAsync(stream, header, timeout.Token))
        {
            frameTypes.Add(header[3]);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            if (!await ReadExactlyOrEndAsync(stream, new byte[length], timeout.Token))
            {
                break;
            }
        }

        const byte Ping = 6;
        const byte GoAway = 7;
        Assert.Contains(Ping, frameTypes);
        Assert.Contains(GoAway, frameTypes.SkipWhile(type => type != Ping));
    }

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    private static async Task EchoOnceAsync(AsyncDuplexStreamingCall<EchoRequest, EchoReply> call)
    {
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "hold" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(EventTimeout));
    }

    private static async Task<StartedEchoServer> StartAsync(DaemonOptions options)
    {
        var server = new EchoServer(options with { Listen = "127.0.0.1:0", MetricsListen = string.Empty });
        await server.InitializeAsync();
        return new StartedEchoServer(server);
    }

    /// <summary>An Echo server a test started itself, stopped when the test ends.</summary>
    private sealed class StartedEchoServer(EchoServer server) : IAsyncDisposable
    {
        public Uri Http2Address => server.Http2Address;

        public Echo.Echo.EchoClient Client => server.Client;

        public ValueTask DisposeAsync() => new(server.DisposeAsync());
    }
}
