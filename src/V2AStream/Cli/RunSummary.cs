using System.Globalization;

namespace V2AStream.Cli;

/// <summary>
/// The end of <c>run</c>, <c>stream</c> and <c>demo</c>: one line on stderr, or with --json the last JSON Lines event
/// <c>{"summary": ...}</c>. Times in seconds; <c>samples</c> per channel, exactly round(duration_s x sample_rate);
/// latency is per chunk (DESIGN.md section 3); <c>input_warning</c> says why the input ended early, when it did.
/// </summary>
internal sealed record RunSummary(
    string Source,
    string Out,
    string? Mux,
    string ModelSet,
    string Mode,
    double DurationS,
    long Frames,
    int Scenes,
    long Blocks,
    long Samples,
    int SampleRate,
    int Channels,
    double RealtimeFactor,
    double TimeToFirstAudioS,
    double LatencyMeanS,
    double LatencyMaxS,
    int TimestampDiscontinuities,
    string? InputWarning)
{
    /// <summary>"5 scenes, 20.00 s of media -> 320000 samples at 16000 Hz in out.wav; first audio after 1.02 s; chunk latency mean 0.61 s, max 0.93 s; 1.0x real time".</summary>
    public string Line() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Scenes} scenes, {DurationS:F2} s of media -> {Samples} samples at {SampleRate} Hz in {Out}{(Mux is null ? string.Empty : $" and {Mux}")}; first audio after {TimeToFirstAudioS:F2} s; chunk latency mean {LatencyMeanS:F2} s, max {LatencyMaxS:F2} s; {RealtimeFactor:F1}x real time");
}
