using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class StatusTests(GrpcTestServer server)
{
    [Fact]
    public async Task Unary_HandlerThrowsRpcException_ClientSeesItsStatusAndMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { FailCode = (int)StatusCode.NotFound, FailMessage = "no such clip" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such clip", error.Detail);
    }

    [Fact]
    public async Task Unary_ErrorBeforeAnyMessage_IsTrailersOnly()
    {
        var body = RawGrpc.Frame(new EchoRequest { FailCode = (int)StatusCode.PermissionDenied, FailMessage = "outside the allowlist" });

        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, body);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Header("grpc-status"));
        Assert.Equal("outside the allowlist", response.Header("grpc-message"));
        Assert.Empty(response.Body);
        Assert.Null(response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task Unary_Ok_StatusZeroInTrailers()
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest { Text = "ok" }));

        Assert.Equal("0", response.Trailer("grpc-status"));
        Assert.Null(response.Header("grpc-status"));
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal(RawGrpc.Frame(new EchoReply { Text = "ok" }), response.Body);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_MessagesThenStatusInTrailers()
    {
        var request = new EchoRequest { Repeat = 3, FailCode = (int)StatusCode.Aborted, FailMessage = "stopped after 3" };
        var received = 0;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var unused in server.Client.ServerStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ServerStream, request))
            {
                received++;
            }
        });

        Assert.Equal(3, received);
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.ServerStream, RawGrpc.Frame(request));
        Assert.Equal("10", raw.Trailer("grpc-status"));
        Assert.Null(raw.Header("grpc-status"));
    }

    [Fact]
    public async Task Unary_NonAsciiMessage_RoundTripsPercentEncoded()
    {
        const string message = "scène 2: café ✓ 100% done\nnext line";
        var request = new EchoRequest { FailCode = (int)StatusCode.InvalidArgument, FailMessage = message };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request));
        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(request));

        Assert.Equal(message, error.Detail);
        Assert.Equal("sc%C3%A8ne 2: caf%C3%A9 %E2%9C%93 100%25 done%0Anext line", raw.Header("grpc-message"));
    }

    [Fact]
    public async Task Unary_HandlerThrowsPlainException_UnknownWithoutItsText()
    {
        var request = new EchoRequest { ThrowException = true };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request));
        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(request));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain(EchoService.Secret, error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(EchoService.Secret, string.Join(' ', raw.Headers.SelectMany(h => h.Value)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2astream.testing.echo.Echo/NoSuchMethod")]
    [InlineData("/no.such.Service/Method")]
    [InlineData("/nonsense")]
    public async Task Call_UnknownMethod_Unimplemented(string path)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync<EchoRequest, EchoReply>(path.StartsWith("/nonsense", StringComparison.Ordinal) ? "/nonsense/x" : path, new EchoRequest()));
        var raw = await RawGrpc.PostAsync(server.Http2Address, path, RawGrpc.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("12", raw.Header("grpc-status"));
    }

    [Fact]
    public async Task Unary_TwoRequestMessages_Internal()
    {
        var body = RawGrpc.Frame(new EchoRequest { Text = "a" }).Concat(RawGrpc.Frame(new EchoRequest { Text = "b" })).ToArray();

        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, body);

        Assert.Equal("13", raw.Header("grpc-status"));
    }

    [Fact]
    public async Task Unary_NoRequestMessage_Internal()
    {
        var raw = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, []);

        Assert.Equal("13", raw.Header("grpc-status"));
    }

    [Fact]
    public async Task Duplex_HandlerFailsWhileClientStillSends_ClientGetsTheStatus()
    {
        // The client would send forever: the call must still end with the handler's status, not hang.
        async IAsyncEnumerable<EchoRequest> Endless()
        {
            yield return new EchoRequest { Text = "config twice", FailCode = (int)StatusCode.InvalidArgument, FailMessage = "config sent twice" };
            while (true)
            {
                await Task.Yield();
                yield return EchoService.Payload("more", 10_000);
            }
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var unused in server.Client.DuplexStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Duplex, Endless()))
            {
            }
        }).WaitAsync(EchoPaths.EventTimeout);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("config sent twice", error.Detail);
    }

    [Fact]
    public async Task ClientStreaming_HandlerFailsAfterSomeMessages_ClientGetsTheStatus()
    {
        var requests = Enumerable.Range(0, 100).Select(i => i == 10
            ? new EchoRequest { FailCode = (int)StatusCode.FailedPrecondition, FailMessage = "media before config" }
            : EchoService.Payload("m", 50_000));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, EchoPaths.Sequence(requests)));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("media before config", error.Detail);
    }
}
