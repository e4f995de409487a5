using Microsoft.Extensions.Logging;

namespace V2AStream.Core.Scenes;

/// <summary>Scene detection log events (ids 1200-1299).</summary>
public static partial class SceneLog
{
    /// <summary>
    /// Every decided boundary of a stream at Debug level (Logging:LogLevel:V2AStream.Core.Scenes=Debug), so the
    /// threshold can be tuned on what the detector saw in production, like <c>v2a scenes --scores</c> offline.
    /// </summary>
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Boundary at frame {Frame} ({TimeSeconds:F3} s): score {Score:F4}, threshold {Threshold:F4}, floor {Floor}, change {Change}, minimum change {MinimumChange}, cut {IsCut}")]
    public static partial void Boundary(ILogger logger, int frame, double timeSeconds, double score, double threshold, double? floor, double? change, double? minimumChange, bool isCut);

    /// <summary>A boundary observer that logs each one with <see cref="Boundary"/> when Debug is on, and costs nothing otherwise.</summary>
    public static Action<BoundaryScore>? BoundaryLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.IsEnabled(LogLevel.Debug)
            ? b => Boundary(logger, b.Frame, b.TimeSeconds, b.Score, b.Threshold, b.Floor, b.Change, b.MinimumChange, b.IsCut)
            : null;
    }
}
