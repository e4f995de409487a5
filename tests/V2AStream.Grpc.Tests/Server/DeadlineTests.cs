using V2AStream.Grpc.Client;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class DeadlineTests(GrpcTestServer server)
{
    [Fact]
    public async Task Wait_ServerSideDeadline_DeadlineExceededAndHandlerCancelled()
    {
        // Raw request: only the server knows the deadline, so the status must come from it.
        var id = $"deadline-{Guid.NewGuid():N}";

        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Wait, RawGrpc.Frame(new EchoRequest { Text = id }), headers: [("grpc-timeout", "200m")])
            .WaitAsync(EchoPaths.EventTimeout);

        Assert.Equal("4", response.Header("grpc-status") ?? response.Trailer("grpc-status"));
        await server.Probe.Cancelled(id).WaitAsync(EchoPaths.EventTimeout);
    }

    [Fact]
    public async Task Wait_ClientTimeout_ThrowsDeadlineExceeded()
    {
        var id = $"client-deadline-{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Wait, new EchoRequest { Text = id }, new CallOptions { Timeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await server.Probe.Cancelled(id).WaitAsync(EchoPaths.EventTimeout);
    }

    [Theory]
    [InlineData("0m")]
    [InlineData("1n")]
    public async Task Unary_DeadlineAlreadyPassed_DeadlineExceeded(string timeout)
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest { Text = "late" }), headers: [("grpc-timeout", timeout)]);

        Assert.Equal("4", response.Header("grpc-status") ?? response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task Unary_DeadlineLongEnough_Succeeds()
    {
        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { Text = "in time" }, new CallOptions { Timeout = TimeSpan.FromMinutes(5) });

        Assert.Equal("in time", reply.Text);
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("123456789S")]
    [InlineData("soon")]
    public async Task Call_MalformedTimeoutHeader_InvalidArgumentNamingTheHeader(string timeout)
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()), headers: [("grpc-timeout", timeout)]);

        Assert.Equal("3", response.Header("grpc-status"));
        Assert.Contains("grpc-timeout", response.Header("grpc-message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ClientCancels_HandlerTokenIsCancelled()
    {
        var id = $"cancel-{Guid.NewGuid():N}";
        using var cancellation = new CancellationTokenSource();

        var call = server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Wait, new EchoRequest { Text = id }, cancellationToken: cancellation.Token);
        await server.Probe.Entered(id).WaitAsync(EchoPaths.EventTimeout);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await server.Probe.Cancelled(id).WaitAsync(EchoPaths.EventTimeout);
    }

    [Fact]
    public async Task Duplex_ClientCancelsMidStream_ThrowsCancelledAndServerKeepsServing()
    {
        var id = $"dispose-{Guid.NewGuid():N}";
        using var cancellation = new CancellationTokenSource();
        var requests = System.Threading.Channels.Channel.CreateUnbounded<EchoRequest>();
        await requests.Writer.WriteAsync(new EchoRequest { Text = id });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var reply in server.Client.DuplexStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Duplex, requests.Reader.ReadAllAsync(), cancellationToken: cancellation.Token))
            {
                Assert.Equal(id, reply.Text);
                await cancellation.CancelAsync();
            }
        });

        var after = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { Text = "after" });
        Assert.Equal("after", after.Text);
    }
}
