using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon;

/// <summary>The daemon's log messages about loading model sets (event ids 3040-3049, within the daemon's 3000-3099).</summary>
internal static partial class ModelSetLog
{
    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Model set {ModelSet} loaded in {Seconds:F2} s")]
    public static partial void Loaded(ILogger logger, string modelSet, double seconds);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning, Message = "Model set {ModelSet} failed to load ({Reason}); the next stream that asks for it tries again")]
    public static partial void LoadFailed(ILogger logger, string modelSet, string reason);
}
