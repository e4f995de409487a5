using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using V2AStream.Hosting;
using V2AStream.Tests.Grpc.Echo;

namespace V2AStream.Tests.Grpc;

/// <summary>What the daemon's gRPC stack does with a failing or idle call, whatever the service: checked with a real client.</summary>
[Collection(EchoServerCollection.Name)]
public sealed class TransportStatusTests(EchoServer server)
{
    [Fact]
    public async Task Unary_HandlerThrowsPlainException_UnknownWithoutItsText()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryAsync(new EchoRequest { ThrowException = true }).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("Exception was thrown by handler.", error.Status.Detail);
        Assert.DoesNotContain(EchoService.Secret, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_HandlerThrowsRpcException_ClientSeesItsStatusAndMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync(new EchoRequest { FailCode = (int)StatusCode.NotFound, FailMessage = "scène 2: café ✓ 100% done" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("scène 2: café ✓ 100% done", error.Status.Detail);
    }

    [Fact]
    public async Task Duplex_IdleLongerThanKestrelsMinimumDataRate_StaysOpen()
    {
        // Kestrel would end a request body slower than 1 MB/s after 1.5 s; a live stream idles far longer.
        var strict = new EchoServer(new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty }, kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1_000_000, gracePeriod: TimeSpan.FromSeconds(1.5)));
        await strict.InitializeAsync();
        try
        {
            using var call = strict.Client.Duplex();
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "before" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

            // The idle time is what is under test, not a synchronisation.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "after idling" });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("after idling", call.ResponseStream.Current.Text);
            Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        }
        finally
        {
            await strict.DisposeAsync();
        }
    }
}
