using System.Net;
using System.Net.Sockets;
using V2AStream.Grpc.Client;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Client;

[Collection(GrpcServerCollection.Name)]
public sealed class GrpcClientTests(GrpcTestServer server)
{
    [Fact]
    public async Task Unary_NothingListening_Unavailable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new GrpcClient(new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseAboveClientMax_ResourceExhausted()
    {
        using var client = new GrpcClient(server.Http2Address, new GrpcClientOptions { MaxReceiveMessageSize = 1000 });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, EchoService.Payload("big", 2000)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Unary_NotAMethodPath_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => server.Client.UnaryAsync<EchoRequest, EchoReply>("Echo.Unary", new EchoRequest()));
    }

    [Fact]
    public async Task Calls_ManyConcurrent_AllSucceed()
    {
        // More than the 100 streams one HTTP/2 connection allows at once.
        var calls = Enumerable.Range(0, 150).Select(i =>
            server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var replies = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 150).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), replies.Select(r => r.Text));
    }

    [Fact]
    public async Task ClientStreaming_RequestSequenceThrows_CallerSeesItsOwnException()
    {
        async IAsyncEnumerable<EchoRequest> Failing()
        {
            yield return new EchoRequest { Text = "first" };
            await Task.Yield();
            throw new IOException("stdin closed unexpectedly");
        }

        var error = await Assert.ThrowsAsync<IOException>(() =>
            server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, Failing()));

        Assert.Equal("stdin closed unexpectedly", error.Message);
    }
}
