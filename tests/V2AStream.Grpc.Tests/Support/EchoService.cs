using Google.Protobuf;
using V2AStream.Grpc.Server;
using V2AStream.Grpc.Tests.Echo;

namespace V2AStream.Grpc.Tests.Support;

/// <summary>The handlers of the test-only Echo service (Protos/echo.proto).</summary>
internal sealed class EchoService(EchoProbe probe)
{
    public const string Secret = "secret-connection-string-do-not-leak";

    public GrpcServiceDefinition CreateDefinition() =>
        new GrpcServiceBuilder(EchoReflection.Descriptor.Services[0])
            .AddUnary<EchoRequest, EchoReply>("Unary", UnaryAsync)
            .AddServerStreaming<EchoRequest, EchoReply>("ServerStream", ServerStreamAsync)
            .AddClientStreaming<EchoRequest, EchoReply>("ClientStream", ClientStreamAsync)
            .AddDuplexStreaming<EchoRequest, EchoReply>("Duplex", DuplexAsync)
            .AddClientStreaming<EchoRequest, EchoReply>("Hold", HoldAsync)
            .AddUnary<EchoRequest, EchoReply>("Wait", WaitAsync)
            .Build();

    private static Task<EchoReply> UnaryAsync(EchoRequest request, ServerCallContext context)
    {
        FailIfAsked(request);
        if (context.RequestHeaders.GetValue("x-echo") is { } echo)
        {
            context.ResponseHeaders.Add("x-echo", echo);
        }

        if (context.RequestHeaders.GetValueBytes("x-data-bin") is { } data)
        {
            context.ResponseTrailers.Add("x-data-bin", data);
        }

        return Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });
    }

    private async Task ServerStreamAsync(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Repeat; i++)
        {
            await responses.WriteAsync(new EchoReply { Text = request.Text, Payload = request.Payload, Index = i }, context.CancellationToken);
            probe.MarkWritten(request.Text);
        }

        FailIfAsked(request);
    }

    private static async Task<EchoReply> ClientStreamAsync(IAsyncEnumerable<EchoRequest> requests, ServerCallContext context)
    {
        var reply = new EchoReply();
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            FailIfAsked(request);
            reply.MessageCount++;
            reply.TotalBytes += request.Payload.Length;
            reply.Text = request.Text;
        }

        return reply;
    }

    private static async Task DuplexAsync(IAsyncEnumerable<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var index = 0;
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            FailIfAsked(request);
            await responses.WriteAsync(new EchoReply { Text = request.Text, Payload = request.Payload, Index = index++ }, context.CancellationToken);
        }
    }

    private async Task<EchoReply> HoldAsync(IAsyncEnumerable<EchoRequest> requests, ServerCallContext context)
    {
        var reply = new EchoReply();
        await using var enumerator = requests.GetAsyncEnumerator(context.CancellationToken);
        if (!await enumerator.MoveNextAsync())
        {
            return reply;
        }

        var id = enumerator.Current.Text;
        reply.Text = id;
        reply.MessageCount = 1;
        reply.TotalBytes = enumerator.Current.Payload.Length;
        probe.MarkEntered(id);
        await probe.Gate(id).WaitAsync(context.CancellationToken);
        while (await enumerator.MoveNextAsync())
        {
            reply.MessageCount++;
            reply.TotalBytes += enumerator.Current.Payload.Length;
        }

        return reply;
    }

    private async Task<EchoReply> WaitAsync(EchoRequest request, ServerCallContext context)
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

    private static void FailIfAsked(EchoRequest request)
    {
        if (request.ThrowException)
        {
            throw new InvalidOperationException($"Handler failed with {Secret}");
        }

        if (request.FailCode != 0)
        {
            throw new RpcException((StatusCode)request.FailCode, request.FailMessage);
        }
    }

    public static EchoRequest Payload(string text, int bytes) =>
        new() { Text = text, Payload = ByteString.CopyFrom(Enumerable.Range(0, bytes).Select(i => (byte)(i * 31 + 7)).ToArray()) };
}
