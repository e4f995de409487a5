using V2AStream.Running;

namespace V2AStream.Soak;

/// <summary>What one soak stream measured over all its sessions (one session = the source sent once).</summary>
internal sealed class SoakStreamResult(int index, string source)
{
    public int Index => index;

    public string Source => source;

    public LatencyStatistics Latency { get; } = new();

    public List<SoakChunk> Chunks { get; } = [];

    public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    public int Sessions { get; set; }

    public int Underruns { get; set; }

    /// <summary>New calls opened after broken ones (with a reconnect policy).</summary>
    public int Reconnects { get; set; }

    /// <summary>Broken calls: where the audio stood, what was lost, when audio went on.</summary>
    public List<SoakInterruption> Interruptions { get; } = [];

    /// <summary>Seconds of audio lost to broken calls (written as silence).</summary>
    public double AudioLostSeconds => Interruptions.Sum(i => i.Interruption.LostSeconds);

    public double StallSeconds { get; set; }

    /// <summary>Seconds from the first session's call to its first audio chunk; NaN when none came.</summary>
    public double TimeToFirstAudioSeconds { get; set; } = double.NaN;

    public double MediaSeconds { get; set; }

    public double WallSeconds { get; set; }

    /// <summary>Media seconds of audio received per wall second of the sessions.</summary>
    public double RealTimeFactor => WallSeconds > 0 ? MediaSeconds / WallSeconds : 0;
}
