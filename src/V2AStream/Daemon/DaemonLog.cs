using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon;

/// <summary>The daemon's log messages (event ids 3000-3099), each carrying the stream's request id.</summary>
internal static partial class DaemonLog
{
    /// <summary>
    /// The scope every log line of a stream is written in: structured (RequestId) for providers that read scope values,
    /// and printed as "RequestId:abc" by the console's scope formatting.
    /// </summary>
    public static readonly Func<ILogger, string, IDisposable?> RequestScope = LoggerMessage.DefineScope<string>("RequestId:{RequestId}");

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Listening for gRPC on {Endpoint} (HTTP/2), health on {HealthEndpoint}; default model set {ModelSet}")]
    public static partial void Listening(ILogger logger, string endpoint, string healthEndpoint, string modelSet);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Stream {RequestId} started: {Method}, model set {ModelSet}, {Mode} mode")]
    public static partial void StreamStarted(ILogger logger, string requestId, string method, string modelSet, string mode);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Stream {RequestId} finished: {Frames} frames, {Scenes} scenes, {MediaSeconds:F2} s of media at {RealTimeFactor:F1}x real time")]
    public static partial void StreamFinished(ILogger logger, string requestId, long frames, int scenes, double mediaSeconds, double realTimeFactor);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Stream {RequestId} failed: {Status} {Detail}")]
    public static partial void StreamFailed(ILogger logger, string requestId, string status, string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Stream {RequestId} cancelled by the client")]
    public static partial void StreamCancelled(ILogger logger, string requestId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Shutting down: draining {Active} streams for up to {Seconds:F0} s")]
    public static partial void Draining(ILogger logger, int active, double seconds);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Stream {RequestId}'s input ended early; its audio or scenes cover the {MediaSeconds:F2} s that decoded: {Reason}")]
    public static partial void StreamInputEndedEarly(ILogger logger, string requestId, double mediaSeconds, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Refused a request of a URL source to {Host}: {Reason}")]
    public static partial void EgressRefused(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Refused a source: {Status} {Detail}")]
    public static partial void SourceRefused(ILogger logger, string status, string detail);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Stream {RequestId} failed unexpectedly")]
    public static partial void StreamCrashed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Refused {Method} from {Peer}: {Status} {Detail}")]
    public static partial void CallRefused(ILogger logger, string method, string peer, string status, string detail);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Ended {Method} from {Peer}: its response made no progress for {Seconds:F0} s (the client stopped reading)")]
    public static partial void OutputStalled(ILogger logger, string method, string peer, double seconds);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "gRPC listens on {Endpoint}, beyond loopback, without TLS: calls, media and any token cross the network in clear text; set TlsCertificate (--tls-cert)")]
    public static partial void CleartextBeyondLoopback(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Warmed up in {Seconds:F2} s (a LIVE and a QUALITY stream through the daemon itself): ready")]
    public static partial void WarmedUp(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "The warm-up stream failed after {Seconds:F2} s ({Reason}); ready anyway, the first streams may be slow")]
    public static partial void WarmupFailed(ILogger logger, double seconds, string reason);
}
