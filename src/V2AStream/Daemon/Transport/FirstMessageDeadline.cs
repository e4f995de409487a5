using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// Middleware in front of every gRPC method: the call's first request message must arrive within the server's
/// FirstMessageTimeout or the call ends with DEADLINE_EXCEEDED (<see cref="FirstMessageReader"/>), so a client that
/// opens calls and sends nothing holds no slot for long. Kestrel's minimum request data rate is lifted for these calls:
/// a unary request is one message, bounded by this deadline, and a stream may pause as long as its media does.
/// </summary>
internal sealed class FirstMessageDeadline(RequestDelegate next, TimeSpan timeout, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is null
            || context.Features.Get<IRequestBodyPipeFeature>() is not { } body)
        {
            return next(context);
        }

        var reader = new FirstMessageReader(body.Reader, timeout, time);
        context.Response.RegisterForDispose(reader);
        context.Features.Set<IRequestBodyPipeFeature>(new RequestBodyFeature(reader));
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minimumRate)
        {
            minimumRate.MinDataRate = null;
        }

        return next(context);
    }
}
