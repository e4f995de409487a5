using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// Ends a streaming call whose response has stopped moving: when one write waits longer than the timeout (HTTP/2 flow
/// control holds it because the client stopped reading), the call's HTTP/2 stream is reset. That cancels the call, so
/// its handler unwinds and releases its stream slot, pipeline and ffmpeg child.
/// </summary>
internal sealed class OutputProgressInterceptor(TimeSpan timeout, ILogger<OutputProgressInterceptor> logger) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var watched = new ProgressWatchedWriter<TResponse>(responseStream, timeout, () => EndStalled(context));
        await continuation(request, watched, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var watched = new ProgressWatchedWriter<TResponse>(responseStream, timeout, () => EndStalled(context));
        await continuation(requestStream, watched, context).ConfigureAwait(false);
    }

    private void EndStalled(ServerCallContext context)
    {
        DaemonLog.OutputStalled(logger, context.Method, context.Peer, timeout.TotalSeconds);
        context.GetHttpContext().Abort();
    }
}
