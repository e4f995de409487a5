using System.Globalization;

namespace V2AStream.Relay;

/// <summary>
/// The relay's periodic status: how long it has run, the video read over the last interval (Mb/s) and in all (seconds
/// published), the sound published, its latency over the interval (null before any sound), scenes, silence put in for
/// missing sound, late sound dropped, and reconnections. One line on stderr, or <c>{"status": ...}</c> with --json.
/// </summary>
internal sealed record RelayStatus(
    double ElapsedS,
    double VideoMbps,
    double VideoS,
    double SoundS,
    double? SoundLatencyP50S,
    double? SoundLatencyMaxS,
    int Scenes,
    double SilenceS,
    double DroppedS,
    int SourceReconnects,
    int DaemonReconnects)
{
    public string Line()
    {
        var latency = SoundLatencyP50S is { } p50 && SoundLatencyMaxS is { } max
            ? string.Create(CultureInfo.InvariantCulture, $"sound latency {p50:F2} s (max {max:F2} s)")
            : "sound latency -";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"relay {TimeSpan.FromSeconds(ElapsedS):h\\:mm\\:ss}  video {VideoMbps:F2} Mb/s, {VideoS:F1} s  sound {SoundS:F1} s  {latency}  scenes {Scenes}  silence {SilenceS:F1} s  dropped {DroppedS:F1} s  reconnects: source {SourceReconnects}, daemon {DaemonReconnects}");
    }
}
