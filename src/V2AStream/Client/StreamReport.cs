using System.Globalization;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>What a client tells its user while a stream runs: each decided scene, then the summary with latency.</summary>
internal sealed class StreamReport(TextWriter output, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private TimeSpan? _firstAudio;

    public StreamSummary? Summary { get; private set; }

    public List<SceneEvent> Scenes { get; } = [];

    public TimeSpan? TimeToFirstAudio => _firstAudio;

    public async ValueTask OnResponseAsync(GenerateResponse response)
    {
        switch (response.EventCase)
        {
            case GenerateResponse.EventOneofCase.Audio:
                _firstAudio ??= time.GetElapsedTime(_started);
                break;
            case GenerateResponse.EventOneofCase.Scene:
                Scenes.Add(response.Scene);
                await output.WriteLineAsync(SceneLine(response.Scene)).ConfigureAwait(false);
                break;
            case GenerateResponse.EventOneofCase.Summary:
                Summary = response.Summary;
                await output.WriteLineAsync(SummaryLine(response.Summary)).ConfigureAwait(false);
                foreach (var warning in Warnings(response.Summary.InputWarning, (int)response.Summary.TimestampDiscontinuities))
                {
                    await output.WriteLineAsync(warning).ConfigureAwait(false);
                }

                break;
        }
    }

    public static string SceneLine(SceneEvent scene) => string.Create(
        CultureInfo.InvariantCulture,
        $"scene {scene.SceneIndex,-3} {scene.StartUs / 1e6,7:F2} s - {scene.EndUs / 1e6,7:F2} s{(scene.SceneIndex == 0 ? string.Empty : $"  (cut score {scene.Score:F1})")}{(scene.Labels.Count == 0 ? string.Empty : $"  {string.Join(", ", scene.Labels)}")}");

    /// <summary>What the user should know about a stream that ended well: an input cut short, timestamp jumps.</summary>
    public static IEnumerable<string> Warnings(string? inputEndedEarly, int timestampDiscontinuities)
    {
        if (!string.IsNullOrEmpty(inputEndedEarly))
        {
            yield return $"warning: the input ended early; the audio covers what decoded. {inputEndedEarly}";
        }

        if (timestampDiscontinuities > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"note: the input's timestamps jumped {timestampDiscontinuities} time(s); each jump started a new segment, and the gaps are not in the audio.");
        }
    }

    private string SummaryLine(StreamSummary summary) => string.Create(
        CultureInfo.InvariantCulture,
        $"{summary.SceneCount} scenes, {summary.DurationUs / 1e6:F2} s of media -> {summary.TotalSamples} samples; first audio after {(_firstAudio ?? TimeSpan.Zero).TotalSeconds:F2} s; chunk latency mean {summary.MeanLatencyUs / 1e6:F2} s, max {summary.MaxLatencyUs / 1e6:F2} s; {summary.RealtimeFactor:F1}x real time");
}
