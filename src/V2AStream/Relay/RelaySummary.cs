using System.Globalization;

namespace V2AStream.Relay;

/// <summary>
/// What a relay run did, when it ends: video published (seconds, MB), sound published and how much of it was silence
/// put in for missing sound, late sound dropped, scenes, the worst sound latency, reconnections. One line on stderr, or
/// <c>{"summary": ...}</c> with --json (always the last line).
/// </summary>
internal sealed record RelaySummary(
    double VideoS,
    double VideoMb,
    double SoundS,
    double SilenceS,
    double DroppedS,
    int Scenes,
    double SoundLatencyMaxS,
    int SourceReconnects,
    int DaemonReconnects)
{
    public string Line() => string.Create(
        CultureInfo.InvariantCulture,
        $"relay done: {VideoS:F2} s of video ({VideoMb:F1} MB) published with {SoundS:F2} s of sound, {SilenceS:F2} s of it silence, {DroppedS:F2} s of late sound dropped; {Scenes} scenes; sound latency max {SoundLatencyMaxS:F2} s; reconnects: source {SourceReconnects}, daemon {DaemonReconnects}");
}
