using System.Globalization;
using V2AStream.Protos.V1;

namespace V2AStream.Cli;

/// <summary>
/// What a client of the daemon tells its user while a stream runs: each decided scene as it comes, then (from
/// <see cref="FinishAsync"/>) the summary. As text lines on <c>text</c> (stderr: stdout may carry the audio), or with
/// --json as JSON Lines on <c>json</c>: <see cref="SceneJson"/> and <see cref="RunSummary"/> events, the same as
/// <c>run</c> prints.
/// </summary>
internal sealed class StreamReport(TextWriter text, TimeProvider time, TextWriter? json = null)
{
    private readonly long _started = time.GetTimestamp();
    private TimeSpan? _firstAudio;

    public StreamStarted? Started { get; private set; }

    public StreamSummary? Summary { get; private set; }

    public List<SceneEvent> Scenes { get; } = [];

    public TimeSpan? TimeToFirstAudio => _firstAudio;

    public async ValueTask OnResponseAsync(GenerateResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.EventCase)
        {
            case GenerateResponse.EventOneofCase.Started:
                Started = response.Started;
                break;
            case GenerateResponse.EventOneofCase.Audio:
                _firstAudio ??= time.GetElapsedTime(_started);
                break;
            case GenerateResponse.EventOneofCase.Scene:
                Scenes.Add(response.Scene);
                await (json is null
                    ? text.WriteLineAsync(SceneLine(response.Scene))
                    : json.WriteLineAsync(CliJson.Event("scene", SceneJson.From(response.Scene, Started?.Config.Scenes.SampleFps ?? 0)))).ConfigureAwait(false);
                break;
            case GenerateResponse.EventOneofCase.Summary:
                Summary = response.Summary;
                break;
        }
    }

    /// <summary>The summary line (or JSON event) and any warnings, once the stream has ended with its summary.</summary>
    public async Task FinishAsync(string source, string outPath, string? muxPath)
    {
        if (Summary is not { } summary)
        {
            throw new InvalidOperationException("The stream ended without its summary.");
        }

        var config = Started?.Config;
        var result = new RunSummary(
            source,
            outPath,
            muxPath,
            config?.Generation.ModelSet ?? string.Empty,
            config?.Generation.Mode == GenerationMode.Live ? "live" : "quality",
            summary.DurationUs / 1e6,
            (long)summary.FramesDecoded,
            (int)summary.SceneCount,
            (long)summary.BlocksGenerated,
            (long)summary.TotalSamples,
            (int)(config?.Output.SampleRate ?? 0),
            (int)(config?.Output.Channels ?? 0),
            summary.RealtimeFactor,
            (_firstAudio ?? TimeSpan.Zero).TotalSeconds,
            summary.MeanLatencyUs / 1e6,
            summary.MaxLatencyUs / 1e6,
            (int)summary.TimestampDiscontinuities,
            summary.InputTruncated ? summary.InputWarning : null);
        await (json is null ? text.WriteLineAsync(result.Line()) : json.WriteLineAsync(CliJson.Event("summary", result))).ConfigureAwait(false);
        foreach (var warning in Warnings(result.InputWarning, result.TimestampDiscontinuities))
        {
            await text.WriteLineAsync(warning).ConfigureAwait(false);
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
}
