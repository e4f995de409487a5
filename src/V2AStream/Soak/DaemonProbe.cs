using System.Globalization;
using V2AStream.Daemon.Metrics;

namespace V2AStream.Soak;

/// <summary>
/// Reads the daemon's figures: RSS from /proc/PID/status when the daemon is a child of ours, otherwise (and for
/// the managed heap and child count) from its /metrics. A figure that cannot be read is NaN, never an error.
/// </summary>
internal sealed class DaemonProbe(HttpClient? metrics, int? processId)
{
    public async Task<(double RssBytes, double HeapBytes, double Children)> ReadAsync(CancellationToken cancellationToken)
    {
        var values = await ReadMetricsAsync(cancellationToken).ConfigureAwait(false);
        var rss = processId is { } pid ? ReadProcRss(pid) : values.GetValueOrDefault("process_resident_memory_bytes", double.NaN);
        var heap = values.GetValueOrDefault("dotnet_gc_heap_bytes", double.NaN);
        var children = processId is { } id ? ChildProcesses.Count(id) : values.GetValueOrDefault("process_child_processes", double.NaN);
        return (rss, heap, children);
    }

    /// <summary>
    /// Where the daemon's time went: for each stage histogram (v2a_stage_seconds) and model (v2a_model_run_seconds),
    /// the count and mean seconds, keyed "stage embed", "model generator"... Empty without /metrics.
    /// </summary>
    public async Task<SortedDictionary<string, (double Count, double MeanSeconds)>> ReadStageTimesAsync(CancellationToken cancellationToken)
    {
        var times = new SortedDictionary<string, (double Count, double MeanSeconds)>(StringComparer.Ordinal);
        if (metrics is null)
        {
            return times;
        }

        string text;
        try
        {
            text = await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return times;
        }

        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            foreach (var (family, kind, label) in new[] { ("v2a_stage_seconds", "stage", "stage"), ("v2a_model_run_seconds", "model", "model") })
            {
                foreach (var (suffix, target) in new[] { ("_sum", sums), ("_count", counts) })
                {
                    var prefix = $"{family}{suffix}{{{label}=\"";
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        var end = line.IndexOf("\"}", prefix.Length, StringComparison.Ordinal);
                        if (end > 0 && double.TryParse(line[(end + 3)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                        {
                            target[$"{kind} {line[prefix.Length..end]}"] = value;
                        }
                    }
                }
            }
        }

        foreach (var (name, count) in counts)
        {
            times[name] = (count, count > 0 ? sums.GetValueOrDefault(name) / count : double.NaN);
        }

        return times;
    }

    private async Task<Dictionary<string, double>> ReadMetricsAsync(CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (metrics is null)
        {
            return values;
        }

        string text;
        try
        {
            text = await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return values;
        }

        foreach (var line in text.Split('\n'))
        {
            // Only unlabelled samples are needed here.
            var parts = line.Split(' ');
            if (parts.Length == 2 && !line.StartsWith('#') && !parts[0].Contains('{', StringComparison.Ordinal)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }

        return values;
    }

    private static double ReadProcRss(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return double.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }
}
