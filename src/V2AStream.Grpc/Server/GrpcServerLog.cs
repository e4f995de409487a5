using Microsoft.Extensions.Logging;

namespace V2AStream.Grpc.Server;

/// <summary>Log events of the gRPC server, ids 6000-6099.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "gRPC call {Method} ({MethodType}) from {Peer} started")]
    public static partial void CallStarted(ILogger logger, string method, GrpcMethodType methodType, string peer);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "gRPC call {Method} ended with {StatusCode}")]
    public static partial void CallEnded(ILogger logger, string method, StatusCode statusCode);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "gRPC handler of {Method} threw; the client gets UNKNOWN")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "gRPC call {Method} exceeded its deadline")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "gRPC handler of {Method} ended with {ExceptionType} after its deadline")]
    public static partial void HandlerEndedAfterDeadline(ILogger logger, string method, string exceptionType);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "gRPC call {Method} cancelled by the client ({ExceptionType})")]
    public static partial void CallCancelledByClient(ILogger logger, string method, string exceptionType);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "gRPC call {Method} refused: protocol {Protocol} is not HTTP/2")]
    public static partial void NotHttp2(ILogger logger, string method, string protocol);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "gRPC call {Method} refused: content-type {ContentType} is not application/grpc")]
    public static partial void UnsupportedContentType(ILogger logger, string method, string? contentType);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "gRPC call {Method} refused: malformed grpc-timeout {Timeout}")]
    public static partial void BadTimeout(ILogger logger, string method, string timeout);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Information, Message = "gRPC call to unknown method {Path}: UNIMPLEMENTED")]
    public static partial void Unimplemented(ILogger logger, string path);
}
