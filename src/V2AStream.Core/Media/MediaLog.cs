using Microsoft.Extensions.Logging;

namespace V2AStream.Core.Media;

/// <summary>Media log events (ids 1100-1199).</summary>
internal static partial class MediaLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Started {Program} (pid {ProcessId}) for {Input}: {Arguments}")]
    public static partial void ProcessStarted(this ILogger logger, string program, int processId, string input, string arguments);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "{Program} (pid {ProcessId}) exited with code {ExitCode} after {FramesRead} frames")]
    public static partial void ProcessExited(this ILogger logger, string program, int processId, int exitCode, int framesRead);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Stopping {Program} (pid {ProcessId}): {How}")]
    public static partial void ProcessStopping(this ILogger logger, string program, int processId, string how);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Program} (pid {ProcessId}) did not stop within {GraceMs} ms; killing its process tree")]
    public static partial void ProcessKilled(this ILogger logger, string program, int processId, double graceMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Reading {Input} failed ({Reason}) after {FramesRead} frames: {Message}")]
    public static partial void ReadFailed(this ILogger logger, string input, MediaErrorReason reason, int framesRead, string message);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "ffmpeg stopped {Input} with {ExtraBytes} bytes of an incomplete frame; dropped")]
    public static partial void PartialFrameDropped(this ILogger logger, string input, int extraBytes);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "The producer of {Input} failed")]
    public static partial void SourceFailed(this ILogger logger, string input, Exception exception);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "The timestamps of {Input} jumped by {JumpSeconds:0.###} s near media time {MediaSeconds:0.##} s: a new segment of the media clock starts there (the gap is not filled)")]
    public static partial void TimestampDiscontinuity(this ILogger logger, string input, double jumpSeconds, double mediaSeconds);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "The producer of {Input} is blocked in a read that ignores cancellation; ffmpeg is done, the read is left to end on its own")]
    public static partial void SourceNotReleased(this ILogger logger, string input);
}
