using V2AStream.Grpc.Client;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class CallInterceptorTests(GrpcTestServer server)
{
    [Fact]
    public async Task Call_InterceptorRefuses_StatusTrailersOnlyAndHandlerNeverRuns()
    {
        var request = new EchoRequest { Text = "refused", Repeat = 3 };

        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.ServerStream, RawGrpc.Frame(request), headers: [("x-deny", "missing bearer token")]);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request, new CallOptions { Headers = new Metadata().Add("x-deny", "missing bearer token") }));

        Assert.Equal("16", raw.Header("grpc-status"));
        Assert.Empty(raw.Body);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("missing bearer token", error.Detail);
    }

    [Fact]
    public async Task Call_InterceptorPasses_HandlerRunsInsideIt()
    {
        var before = server.InterceptedCalls;

        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { Text = "through" });

        Assert.Equal("through", reply.Text);
        Assert.True(server.InterceptedCalls > before);
    }
}
