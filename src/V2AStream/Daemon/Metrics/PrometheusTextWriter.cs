using System.Globalization;
using System.Text;

namespace V2AStream.Daemon.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: a HELP and a TYPE line per family,
/// then its samples; label values escaped (backslash, double quote, newline), HELP text escaped (backslash,
/// newline); histograms as cumulative _bucket lines ending at le="+Inf", then _sum and _count.
/// </summary>
internal sealed class PrometheusTextWriter(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Family(string name, string type, string help)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void Sample(string name, double value, string? labelName = null, string? labelValue = null)
    {
        output.Append(name);
        if (labelName is not null)
        {
            output.Append('{').Append(labelName).Append("=\"").Append(EscapeLabelValue(labelValue ?? string.Empty)).Append("\"}");
        }

        output.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public void Histogram(string name, HistogramSnapshot histogram, string? labelName = null, string? labelValue = null)
    {
        var prefix = labelName is null ? string.Empty : $"{labelName}=\"{EscapeLabelValue(labelValue ?? string.Empty)}\",";
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            output.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(FormatValue(histogram.UpperBounds[i])).Append("\"} ")
                .Append(histogram.CumulativeCounts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        output.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var labels = labelName is null ? string.Empty : $"{{{prefix.TrimEnd(',')}}}";
        output.Append(name).Append("_sum").Append(labels).Append(' ').Append(FormatValue(histogram.Sum)).Append('\n');
        output.Append(name).Append("_count").Append(labels).Append(' ').Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeLabelValue(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
