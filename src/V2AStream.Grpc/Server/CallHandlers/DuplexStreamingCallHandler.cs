using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace V2AStream.Grpc.Server.CallHandlers;

internal sealed class DuplexStreamingCallHandler<TRequest, TResponse>(
    string methodPath,
    MessageParser<TRequest> parser,
    Func<IAsyncEnumerable<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler,
    GrpcServerOptions options,
    ILogger logger)
    : ServerCallHandler(methodPath, GrpcMethodType.DuplexStreaming, options, logger)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override Task InvokeAsync(GrpcServerCall call) =>
        handler(call.ReadAllAsync(parser), new HttpContextStreamWriter<TResponse>(call), call.Context);
}
