using System.Globalization;
using System.Text.Json;
using V2AStream.Running;

namespace V2AStream.Soak;

/// <summary>
/// The soak's figures over every stream: chunk latency percentiles (nearest rank), underruns, time to first audio,
/// real-time factor, errors by status, and the daemon's memory growth between <see cref="GrowthFromSeconds"/> and
/// the end, with child-process counts before and after. Written as text and as JSON (overall p99 as <c>p99_s</c>).
/// </summary>
internal sealed class SoakReport
{
    public SoakReport(IReadOnlyList<SoakStreamResult> streams, IReadOnlyList<MemorySample> memory, double growthFromSeconds, double childrenBefore, double childrenAfter, double wallSeconds, string mode, bool realtime)
    {
        Streams = streams;
        Memory = memory;
        ChildrenBefore = childrenBefore;
        ChildrenAfter = childrenAfter;
        WallSeconds = wallSeconds;
        Mode = mode;
        Realtime = realtime;
        foreach (var stream in streams)
        {
            Latency.AddRange(stream.Latency);
            foreach (var (status, count) in stream.Errors)
            {
                Errors[status] = Errors.GetValueOrDefault(status) + count;
            }
        }

        var rss = memory.Where(m => !double.IsNaN(m.RssBytes)).ToList();
        if (rss.Count > 0)
        {
            // Growth is measured after warm-up; a run too short to leave half of itself after warm-up uses its second half.
            var end = rss[^1].Seconds;
            var from = end - growthFromSeconds >= end / 2 ? growthFromSeconds : end / 2;
            var start = rss.First(m => m.Seconds >= from);
            GrowthFromSeconds = start.Seconds;
            RssFromBytes = start.RssBytes;
            RssEndBytes = rss[^1].RssBytes;
            var heap = memory.Where(m => !double.IsNaN(m.HeapBytes) && m.Seconds >= start.Seconds).ToList();
            HeapFromBytes = heap.Count > 0 ? heap[0].HeapBytes : double.NaN;
            HeapEndBytes = heap.Count > 0 ? heap[^1].HeapBytes : double.NaN;
        }
    }

    public IReadOnlyList<SoakStreamResult> Streams { get; }

    public IReadOnlyList<MemorySample> Memory { get; }

    public LatencyStatistics Latency { get; } = new();

    public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The daemon's own account of where time went ("stage embed", "model generator"...): count and mean seconds.</summary>
    public SortedDictionary<string, (double Count, double MeanSeconds)> StageTimes { get; } = new(StringComparer.Ordinal);

    public int Underruns => Streams.Sum(s => s.Underruns);

    /// <summary>New calls opened after broken ones, over all streams (--reconnect).</summary>
    public int Reconnects => Streams.Sum(s => s.Reconnects);

    /// <summary>Seconds of audio lost to broken calls, over all streams (written as silence).</summary>
    public double AudioLostSeconds => Streams.Sum(s => s.AudioLostSeconds);

    /// <summary>The slowest stream's time to first audio.</summary>
    public double TimeToFirstAudioSeconds => Streams.Select(s => s.TimeToFirstAudioSeconds).DefaultIfEmpty(double.NaN).Max();

    public double RealTimeFactor => Streams.Count == 0 ? 0 : Streams.Min(s => s.RealTimeFactor);

    public double GrowthFromSeconds { get; } = double.NaN;

    public double RssFromBytes { get; } = double.NaN;

    public double RssEndBytes { get; } = double.NaN;

    public double RssGrowthPercent => (RssEndBytes - RssFromBytes) / RssFromBytes * 100;

    public double HeapFromBytes { get; } = double.NaN;

    public double HeapEndBytes { get; } = double.NaN;

    public double ChildrenBefore { get; }

    public double ChildrenAfter { get; }

    public double WallSeconds { get; }

    public string Mode { get; }

    public bool Realtime { get; }

    /// <summary>One line per missed objective; empty when every given one was met.</summary>
    public IReadOnlyList<string> CheckSlo(TimeSpan? maxP99, int? maxUnderruns, double? maxRssGrowthPercent, int? maxErrors)
    {
        var missed = new List<string>();
        var p99 = Latency.Percentile(99);
        if (maxP99 is { } limit && !(p99 <= limit.TotalSeconds))
        {
            missed.Add(Format($"chunk latency p99 {p99:F3} s is over --max-p99 {limit.TotalSeconds:F3} s"));
        }

        if (maxUnderruns is { } most && Underruns > most)
        {
            missed.Add(Format($"{Underruns} underruns, more than --max-underruns {most}"));
        }

        if (maxRssGrowthPercent is { } growth && !(RssGrowthPercent <= growth))
        {
            missed.Add(Format($"RSS grew {RssGrowthPercent:F1}% from {GrowthFromSeconds:F0} s to the end, over --max-rss-growth {growth:F1}%"));
        }

        var errors = Errors.Values.Sum();
        if (maxErrors is { } allowed && errors > allowed)
        {
            missed.Add(Format($"{errors} streams ended with an error, more than --max-errors {allowed}"));
        }

        if (Latency.Count == 0)
        {
            missed.Add("no audio chunk arrived");
        }

        return missed;
    }

    /// <summary>Every chunk in arrival order, one CSV row each, for looking at what the percentiles summarize.</summary>
    public string ChunksCsv()
    {
        var csv = new System.Text.StringBuilder("stream,session,media_start_s,arrival_s,latency_s,underrun\n");
        foreach (var chunk in Streams.SelectMany(s => s.Chunks).OrderBy(c => c.ArrivalSeconds))
        {
            csv.Append(Format($"{chunk.Stream},{chunk.Session},{chunk.MediaStartSeconds:F3},{chunk.ArrivalSeconds:F3},{chunk.LatencySeconds:F4},{(chunk.Underrun ? 1 : 0)}\n"));
        }

        return csv.ToString();
    }

    public string ToText()
    {
        var lines = new List<string>
        {
            Format($"{Streams.Count} streams, {Mode} mode{(Realtime ? ", real time" : string.Empty)}, {WallSeconds:F0} s; {Latency.Count} chunks"),
            Format($"chunk latency: p50 {Latency.Percentile(50):F3} s, p95 {Latency.Percentile(95):F3} s, p99 {Latency.Percentile(99):F3} s, max {Latency.Max:F3} s"),
            Format($"underruns after the first chunk: {Underruns}; time to first audio (slowest stream) {TimeToFirstAudioSeconds:F2} s; real-time factor (slowest stream) {RealTimeFactor:F2}"),
            Format($"broken calls: {Streams.Sum(s => s.Interruptions.Count)}, {Reconnects} new calls after them, {AudioLostSeconds:F2} s of audio lost"),
            Format($"errors: {(Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}")))}"),
            Format($"daemon RSS {RssFromBytes / 1048576:F1} MiB at {GrowthFromSeconds:F0} s -> {RssEndBytes / 1048576:F1} MiB at the end ({RssGrowthPercent:+0.0;-0.0}%); managed heap {HeapFromBytes / 1048576:F1} -> {HeapEndBytes / 1048576:F1} MiB"),
            Format($"daemon child processes: {ChildrenBefore} before, {ChildrenAfter} after"),
        };
        if (StageTimes.Count > 0)
        {
            lines.Add("daemon time per unit of work: " + string.Join(", ", StageTimes.Select(s => Format($"{s.Key} {s.Value.MeanSeconds * 1000:F2} ms x {s.Value.Count:F0}"))));
        }

        foreach (var stream in Streams)
        {
            lines.Add(Format($"  stream {stream.Index}: {stream.Sessions} sessions, {stream.Latency.Count} chunks, p50 {stream.Latency.Percentile(50):F3} s, p95 {stream.Latency.Percentile(95):F3} s, p99 {stream.Latency.Percentile(99):F3} s, max {stream.Latency.Max:F3} s, {stream.Underruns} underruns, first audio {stream.TimeToFirstAudioSeconds:F2} s, {stream.RealTimeFactor:F2}x"));
        }

        return string.Join('\n', lines) + "\n";
    }

    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("streams", Streams.Count);
        json.WriteString("mode", Mode);
        json.WriteBoolean("realtime", Realtime);
        Number(json, "wall_s", WallSeconds);
        json.WriteNumber("chunks", Latency.Count);
        WriteLatency(json, Latency);
        json.WriteNumber("underruns", Underruns);
        json.WriteNumber("reconnects", Reconnects);
        Number(json, "audio_lost_s", AudioLostSeconds);
        Number(json, "stall_s", Streams.Sum(s => s.StallSeconds));
        Number(json, "time_to_first_audio_s", TimeToFirstAudioSeconds);
        Number(json, "realtime_factor", RealTimeFactor);
        json.WriteStartObject("errors");
        foreach (var (status, count) in Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(status, count);
        }

        json.WriteEndObject();
        Number(json, "rss_growth_from_s", GrowthFromSeconds);
        Number(json, "rss_from_bytes", RssFromBytes);
        Number(json, "rss_end_bytes", RssEndBytes);
        Number(json, "rss_growth_percent", RssGrowthPercent);
        Number(json, "heap_from_bytes", HeapFromBytes);
        Number(json, "heap_end_bytes", HeapEndBytes);
        Number(json, "children_before", ChildrenBefore);
        Number(json, "children_after", ChildrenAfter);
        json.WriteStartObject("daemon_time_per_unit");
        foreach (var (name, figures) in StageTimes)
        {
            json.WriteStartObject(name.Replace(' ', '_'));
            Number(json, "count", figures.Count);
            Number(json, "mean_s", figures.MeanSeconds);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("per_stream");
        foreach (var stream in Streams)
        {
            json.WriteStartObject();
            json.WriteNumber("index", stream.Index);
            json.WriteString("source", stream.Source);
            json.WriteNumber("sessions", stream.Sessions);
            json.WriteNumber("chunks", stream.Latency.Count);
            WriteLatency(json, stream.Latency);
            json.WriteNumber("underruns", stream.Underruns);
            Number(json, "time_to_first_audio_s", stream.TimeToFirstAudioSeconds);
            Number(json, "media_s", stream.MediaSeconds);
            Number(json, "realtime_factor", stream.RealTimeFactor);
            json.WriteNumber("reconnects", stream.Reconnects);
            Number(json, "audio_lost_s", stream.AudioLostSeconds);
            json.WriteStartArray("interruptions");
            foreach (var broken in stream.Interruptions)
            {
                json.WriteStartObject();
                json.WriteString("status", broken.Interruption.Status);
                Number(json, "reached_s", broken.Interruption.ReachedSeconds);
                Number(json, "lost_s", broken.Interruption.LostSeconds);
                json.WriteBoolean("resumed", broken.Interruption.Resumed);
                Number(json, "resumed_at_s", broken.ResumedAtSeconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("memory");
        foreach (var sample in Memory)
        {
            json.WriteStartObject();
            Number(json, "t_s", sample.Seconds);
            Number(json, "rss_bytes", sample.RssBytes);
            Number(json, "heap_bytes", sample.HeapBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter json, LatencyStatistics latency)
    {
        Number(json, "p50_s", latency.Percentile(50));
        Number(json, "p95_s", latency.Percentile(95));
        Number(json, "p99_s", latency.Percentile(99));
        Number(json, "max_s", latency.Max);
        Number(json, "mean_s", latency.Mean);
    }

    /// <summary>JSON has no NaN: a figure that was not measured is null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
