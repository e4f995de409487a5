using System.Net;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class LimitsTests(GrpcTestServer server)
{
    private const int MaxReceive = 4 * 1024 * 1024;

    [Fact]
    public async Task Unary_MessageAboveDefaultMax_ResourceExhausted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, EchoService.Payload("too big", MaxReceive + 1)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Unary_MessageJustUnderDefaultMax_Succeeds()
    {
        var request = EchoService.Payload("fits", MaxReceive - 64);

        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request, options: null);

        Assert.Equal(request.Payload.Length, reply.Payload.Length);
    }

    [Fact]
    public async Task ClientStreaming_OversizedMessageMidStream_ResourceExhausted()
    {
        var requests = new[] { EchoService.Payload("a", 10), EchoService.Payload("b", MaxReceive + 10), EchoService.Payload("c", 10) };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, EchoPaths.Sequence(requests)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("text/plain")]
    public async Task Call_WrongContentType_Http415(string contentType)
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()), contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Call_GrpcPlusProtoContentType_Accepted()
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest { Text = "proto" }), contentType: "application/grpc+proto");

        Assert.Equal("0", response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task Call_Http11_Http426()
    {
        var response = await RawGrpc.PostAsync(server.Http1Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()), version: HttpVersion.Version11);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Contains("HTTP/2", response.Header("grpc-message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStreaming_HandlerStopsReading_ClientStallsUntilItReadsAgain()
    {
        const int messageSize = 64 * 1024;
        const int messageCount = 1024;
        var id = $"hold-{Guid.NewGuid():N}";
        var pulled = 0;

        async IAsyncEnumerable<EchoRequest> Requests()
        {
            yield return new EchoRequest { Text = id };
            for (var i = 0; i < messageCount; i++)
            {
                await Task.Yield();
                Interlocked.Increment(ref pulled);
                yield return EchoService.Payload(id, messageSize);
            }
        }

        var call = server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Hold, Requests());
        await server.Probe.Entered(id).WaitAsync(EchoPaths.EventTimeout);

        // 64 MiB would cross loopback in well under this wait if nothing pushed back.
        var first = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(2)));
        var pulledWhileHeld = Volatile.Read(ref pulled);
        server.Probe.OpenGate(id);
        var reply = await call.WaitAsync(EchoPaths.EventTimeout);

        Assert.NotSame(call, first);
        Assert.True(pulledWhileHeld * (long)messageSize < 4 * 1024 * 1024, $"the client sent {pulledWhileHeld} x 64 KiB while the handler was not reading");
        Assert.Equal(messageCount + 1, reply.MessageCount);
        Assert.Equal((long)messageCount * messageSize, reply.TotalBytes);
    }

    [Fact]
    public async Task ServerStreaming_ClientStopsReading_HandlerWritesStall()
    {
        const int messageSize = 64 * 1024;
        var id = $"slow-reader-{Guid.NewGuid():N}";
        var request = EchoService.Payload(id, messageSize);
        request.Repeat = 100_000;
        using var cancellation = new CancellationTokenSource();
        var replies = server.Client.ServerStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ServerStream, request, cancellationToken: cancellation.Token);
        var enumerator = replies.GetAsyncEnumerator(cancellation.Token);
        try
        {
            Assert.True(await enumerator.MoveNextAsync());

            // 4 MiB would leave the handler in a blink if its writes did not wait for the reader.
            var flooded = WaitUntilAsync(() => server.Probe.Written(id) >= 64, TimeSpan.FromSeconds(2));
            Assert.False(await flooded, $"the handler wrote {server.Probe.Written(id)} x 64 KiB to a client that read one");
        }
        finally
        {
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await enumerator.MoveNextAsync());
            await enumerator.DisposeAsync();
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await timer.WaitForNextTickAsync();
        }

        return condition();
    }
}
