using Google.Protobuf;
using Grpc.Core;
using V2AStream.Tests.Grpc.Echo;

namespace V2AStream.Tests.Grpc;

/// <summary>The handlers of the test-only Echo service (echo.proto): each request field asks for one behaviour under test.</summary>
internal sealed class EchoService(EchoProbe probe) : Echo.Echo.EchoBase
{
    public const string Secret = "secret-connection-string-do-not-leak";

    public override Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        FailIfAsked(request);
        return Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Repeat; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Payload = request.Payload, Index = i }, context.CancellationToken);
        }

        FailIfAsked(request);
    }

    public override async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var reply = new EchoReply();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            FailIfAsked(request);
            reply.MessageCount++;
            reply.TotalBytes += request.Payload.Length;
            reply.Text = request.Text;
        }

        return reply;
    }

    public override async Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            FailIfAsked(request);
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Payload = request.Payload, Index = index++ }, context.CancellationToken);
        }
    }

    public override async Task<EchoReply> Wait(EchoRequest request, ServerCallContext context)
    {
        probe.MarkEntered(request.Text);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.MarkCancelled(request.Text);
            throw;
        }

        return new EchoReply();
    }

    public static EchoRequest Payload(string text, int bytes) =>
        new() { Text = text, Payload = ByteString.CopyFrom(Enumerable.Range(0, bytes).Select(i => (byte)(i * 31 + 7)).ToArray()) };

    private static void FailIfAsked(EchoRequest request)
    {
        if (request.ThrowException)
        {
            throw new InvalidOperationException($"Handler failed with {Secret}");
        }

        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }
    }
}
