using Microsoft.AspNetCore.Http;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Server.CallHandlers;

/// <summary>Responses for calls refused before a handler runs.</summary>
internal static class GrpcHttpErrors
{
    /// <summary>An HTTP error status with the gRPC status in headers (for 415 and 426).</summary>
    public static void Write(HttpContext httpContext, int httpStatusCode, StatusCode statusCode, string detail)
    {
        var response = httpContext.Response;
        response.StatusCode = httpStatusCode;
        response.Headers[GrpcProtocol.StatusHeader] = ServerCallHandler.FormatStatus(statusCode);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(detail);
    }

    /// <summary>A "trailers-only" response: HTTP 200 with the status in the headers and no body.</summary>
    public static void WriteTrailersOnly(HttpContext httpContext, StatusCode statusCode, string detail)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.AcceptEncodingValue;
        response.Headers[GrpcProtocol.StatusHeader] = ServerCallHandler.FormatStatus(statusCode);
        if (detail.Length > 0)
        {
            response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(detail);
        }
    }
}
