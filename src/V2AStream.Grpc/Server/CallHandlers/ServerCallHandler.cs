using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using V2AStream.Grpc.Framing;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Server.CallHandlers;

/// <summary>
/// What every call kind shares: the HTTP checks (426, 415), lifting Kestrel's body limits, the
/// grpc-timeout and grpc-encoding headers, running the handler against its deadline, and turning
/// how it ended into one status.
/// </summary>
internal abstract class ServerCallHandler
{
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;

    protected ServerCallHandler(string methodPath, GrpcMethodType methodType, GrpcServerOptions options, ILogger logger)
    {
        MethodPath = methodPath;
        MethodType = methodType;
        _options = options;
        _logger = logger;
    }

    public string MethodPath { get; }

    public GrpcMethodType MethodType { get; }

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            GrpcServerLog.NotHttp2(_logger, MethodPath, request.Protocol);
            GrpcHttpErrors.Write(httpContext, StatusCodes.Status426UpgradeRequired, StatusCode.Internal, $"Request protocol '{request.Protocol}' is not supported: gRPC needs HTTP/2.");
            httpContext.Response.Headers.Upgrade = "h2c";
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            GrpcServerLog.UnsupportedContentType(_logger, MethodPath, request.ContentType);
            GrpcHttpErrors.Write(httpContext, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal, $"Content-Type '{request.ContentType}' is not supported: send application/grpc.");
            return;
        }

        LiftBodyLimits(httpContext);

        TimeSpan? timeout = null;
        if (request.Headers.TryGetValue(GrpcProtocol.TimeoutHeader, out var timeoutValues) && timeoutValues.Count > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutValues.ToString(), out var parsed, out var timeoutError))
            {
                GrpcServerLog.BadTimeout(_logger, MethodPath, timeoutValues.ToString());
                GrpcHttpErrors.WriteTrailersOnly(httpContext, StatusCode.InvalidArgument, timeoutError);
                return;
            }

            timeout = parsed;
        }

        string? encoding = request.Headers.TryGetValue(GrpcProtocol.EncodingHeader, out var encodingValues) ? encodingValues.ToString() : null;
        if (encoding is not null && !GrpcMessageCompression.IsSupported(encoding))
        {
            GrpcHttpErrors.WriteTrailersOnly(httpContext, StatusCode.Unimplemented, $"Message compression '{encoding}' is not supported: use {GrpcProtocol.AcceptEncodingValue}.");
            return;
        }

        using var call = new GrpcServerCall(httpContext, MethodPath, timeout, encoding, _options.MaxReceiveMessageSize);
        GrpcServerLog.CallStarted(_logger, MethodPath, MethodType, call.Context.Peer);
        await RunAsync(call).ConfigureAwait(false);
    }

    /// <summary>Reads the request, runs the user's handler, writes its responses; the status is the base class's job.</summary>
    protected abstract Task InvokeAsync(GrpcServerCall call);

    private async Task RunAsync(GrpcServerCall call)
    {
        var handlerTask = _options.CallInterceptor is { } interceptor
            ? InterceptAsync(interceptor, call)
            : InvokeAsync(call);
        if (!handlerTask.IsCompleted)
        {
            var first = await Task.WhenAny(handlerTask, call.DeadlineReached).ConfigureAwait(false);
            if (first != handlerTask)
            {
                GrpcServerLog.DeadlineExceeded(_logger, MethodPath);
                await call.CompleteWithDeadlineExceededAsync().ConfigureAwait(false);
                try
                {
                    await handlerTask.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The status is already sent; what the handler did after its deadline changes nothing.
                    GrpcServerLog.HandlerEndedAfterDeadline(_logger, MethodPath, ex.GetType().Name);
                }

                return;
            }
        }

        var (statusCode, detail, trailers) = await StatusOfAsync(handlerTask, call).ConfigureAwait(false);
        if (statusCode == StatusCode.DeadlineExceeded && call.DeadlineExceeded)
        {
            await call.CompleteWithDeadlineExceededAsync().ConfigureAwait(false);
            return;
        }

        await call.CompleteAsync(statusCode, detail, trailers).ConfigureAwait(false);
        GrpcServerLog.CallEnded(_logger, MethodPath, statusCode);
    }

    private async Task InterceptAsync(Func<ServerCallContext, Func<Task>, Task> interceptor, GrpcServerCall call)
    {
        // Async so that an interceptor throwing synchronously still ends as a status, like a handler.
        await interceptor(call.Context, () => InvokeAsync(call)).ConfigureAwait(false);
    }

    private async Task<(StatusCode StatusCode, string Detail, Metadata? Trailers)> StatusOfAsync(Task handlerTask, GrpcServerCall call)
    {
        try
        {
            await handlerTask.ConfigureAwait(false);
            return (StatusCode.OK, string.Empty, null);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Detail, ex.Trailers);
        }
        catch (OperationCanceledException) when (call.DeadlineExceeded)
        {
            return (StatusCode.DeadlineExceeded, "Deadline Exceeded", null);
        }
        catch (Exception ex) when (call.ClientAborted)
        {
            GrpcServerLog.CallCancelledByClient(_logger, MethodPath, ex.GetType().Name);
            return (StatusCode.Cancelled, "Call cancelled by the client.", null);
        }
        catch (Exception ex)
        {
            // Never put the exception's text on the wire: it may carry paths, secrets or a stack trace.
            GrpcServerLog.HandlerFailed(_logger, MethodPath, ex);
            return (StatusCode.Unknown, "Exception was thrown by handler.", null);
        }
    }

    private void LiftBodyLimits(HttpContext httpContext)
    {
        // The message size limit bounds each message; the whole body of a stream is unbounded.
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBodySize)
        {
            maxBodySize.MaxRequestBodySize = null;
        }

        if (MethodType is GrpcMethodType.ClientStreaming or GrpcMethodType.DuplexStreaming)
        {
            // A live stream may be idle for long stretches: Kestrel's 240 B/s minimum would kill it.
            if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
            {
                minRate.MinDataRate = null;
            }
        }

        if (MethodType != GrpcMethodType.Unary)
        {
            // A stream lasts as long as its media; its deadline, if any, is grpc-timeout.
            httpContext.Features.Get<Microsoft.AspNetCore.Http.Timeouts.IHttpRequestTimeoutFeature>()?.DisableTimeout();
        }
    }

    internal static string FormatStatus(StatusCode statusCode) => ((int)statusCode).ToString(CultureInfo.InvariantCulture);
}
