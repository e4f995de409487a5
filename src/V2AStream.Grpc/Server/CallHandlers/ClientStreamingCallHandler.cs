using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace V2AStream.Grpc.Server.CallHandlers;

internal sealed class ClientStreamingCallHandler<TRequest, TResponse>(
    string methodPath,
    MessageParser<TRequest> parser,
    Func<IAsyncEnumerable<TRequest>, ServerCallContext, Task<TResponse>> handler,
    GrpcServerOptions options,
    ILogger logger)
    : ServerCallHandler(methodPath, GrpcMethodType.ClientStreaming, options, logger)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task InvokeAsync(GrpcServerCall call)
    {
        var response = await handler(call.ReadAllAsync(parser), call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {MethodPath} returned null instead of a response message.");
        await call.WriteMessageAsync(response, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}
