using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace V2AStream.Grpc.Server.CallHandlers;

internal sealed class UnaryCallHandler<TRequest, TResponse>(
    string methodPath,
    MessageParser<TRequest> parser,
    Func<TRequest, ServerCallContext, Task<TResponse>> handler,
    GrpcServerOptions options,
    ILogger logger)
    : ServerCallHandler(methodPath, GrpcMethodType.Unary, options, logger)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleMessageAsync(parser).ConfigureAwait(false);
        var response = await handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {MethodPath} returned null instead of a response message.");

        // Not flushed: the message goes out with the trailers in one go.
        await call.WriteMessageAsync(response, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}
