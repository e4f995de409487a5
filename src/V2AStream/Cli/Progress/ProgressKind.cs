namespace V2AStream.Cli.Progress;

/// <summary>What a progress display counts.</summary>
internal enum ProgressKind
{
    /// <summary>Steps of a known number (training epochs): bar, percentage, elapsed and remaining time.</summary>
    Steps,

    /// <summary>Seconds of media (video read, audio made): bar, media time, speed as a multiple of real time, remaining time; no bar when the length is not known (a pipe, a live feed).</summary>
    MediaSeconds,
}
