using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace V2AStream.Grpc.Server.CallHandlers;

internal sealed class ServerStreamingCallHandler<TRequest, TResponse>(
    string methodPath,
    MessageParser<TRequest> parser,
    Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler,
    GrpcServerOptions options,
    ILogger logger)
    : ServerCallHandler(methodPath, GrpcMethodType.ServerStreaming, options, logger)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleMessageAsync(parser).ConfigureAwait(false);
        await handler(request, new HttpContextStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}
