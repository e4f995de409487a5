using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace V2AStream.Soak;

/// <summary>
/// An SVG picture of a soak: chunk latency over time (one dot per chunk, a colour per stream, the overall p99 as
/// a dashed line) above the daemon's RSS and managed heap over time. Plain SVG 1.1, no script or external files.
/// </summary>
internal static class SoakPlot
{
    private const int Width = 960;
    private const int PanelHeight = 260;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 40;
    private const int Gap = 60;

    private static readonly ImmutableArray<string> Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static string Render(SoakReport report)
    {
        var chunks = report.Streams.SelectMany(s => s.Chunks).ToList();
        var memory = report.Memory.Where(m => !double.IsNaN(m.RssBytes) || !double.IsNaN(m.HeapBytes)).ToList();
        var endSeconds = Math.Max(1, Math.Max(chunks.Count == 0 ? 0 : chunks.Max(c => c.ArrivalSeconds), memory.Count == 0 ? 0 : memory.Max(m => m.Seconds)));
        var p99 = report.Latency.Percentile(99);
        var latencyTop = NiceCeiling(Math.Max(chunks.Count == 0 ? 0 : chunks.Max(c => c.LatencySeconds), double.IsNaN(p99) ? 0 : p99));
        var memoryTop = NiceCeiling(memory.Count == 0 ? 1 : memory.Max(m => Math.Max(Zero(m.RssBytes), Zero(m.HeapBytes))) / 1048576);
        var height = Top + PanelHeight + Gap + PanelHeight + 50;
        var plotWidth = Width - Left - Right;
        var latencyPanel = new Panel(Left, Top, plotWidth, PanelHeight, endSeconds, latencyTop);
        var memoryPanel = new Panel(Left, Top + PanelHeight + Gap, plotWidth, PanelHeight, endSeconds, memoryTop);

        var svg = new StringBuilder();
        svg.Append(Format($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Format($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Format($"<text x=\"{Left}\" y=\"22\" font-size=\"15\">{Escape(Format($"Soak: {report.Streams.Count} streams, {report.Mode} mode, chunk latency p99 {p99:F3} s, {report.Underruns} underruns"))}</text>\n"));

        Axes(svg, latencyPanel, "chunk latency (s)", "s");
        foreach (var chunk in chunks)
        {
            svg.Append(Format($"<circle cx=\"{latencyPanel.X(chunk.ArrivalSeconds):F1}\" cy=\"{latencyPanel.Y(chunk.LatencySeconds):F1}\" r=\"1.6\" fill=\"{Colours[chunk.Stream % Colours.Length]}\"/>\n"));
        }

        if (!double.IsNaN(p99))
        {
            svg.Append(Format($"<line x1=\"{latencyPanel.Left}\" x2=\"{latencyPanel.Left + latencyPanel.Width}\" y1=\"{latencyPanel.Y(p99):F1}\" y2=\"{latencyPanel.Y(p99):F1}\" stroke=\"black\" stroke-dasharray=\"6 4\"/>\n"));
            svg.Append(Format($"<text x=\"{latencyPanel.Left + latencyPanel.Width - 4}\" y=\"{latencyPanel.Y(p99) - 4:F1}\" text-anchor=\"end\">p99 {p99:F3} s</text>\n"));
        }

        for (var i = 0; i < report.Streams.Count; i++)
        {
            svg.Append(Format($"<text x=\"{Left + 8 + (i * 80)}\" y=\"{Top + 14}\" fill=\"{Colours[i % Colours.Length]}\">stream {i}</text>\n"));
        }

        Axes(svg, memoryPanel, "daemon memory (MiB)", "s");
        Line(svg, memoryPanel, memory.Where(m => !double.IsNaN(m.RssBytes)).Select(m => (m.Seconds, m.RssBytes / 1048576)), "#d62728");
        Line(svg, memoryPanel, memory.Where(m => !double.IsNaN(m.HeapBytes)).Select(m => (m.Seconds, m.HeapBytes / 1048576)), "#1f77b4");
        svg.Append(Format($"<text x=\"{Left + 8}\" y=\"{memoryPanel.Top + 14}\" fill=\"#d62728\">RSS</text>\n"));
        svg.Append(Format($"<text x=\"{Left + 48}\" y=\"{memoryPanel.Top + 14}\" fill=\"#1f77b4\">managed heap</text>\n"));
        svg.Append(Format($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{height - 12}\" text-anchor=\"middle\">time since the soak began (s)</text>\n"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Axes(StringBuilder svg, Panel panel, string label, string unit)
    {
        svg.Append(Format($"<rect x=\"{panel.Left}\" y=\"{panel.Top}\" width=\"{panel.Width}\" height=\"{panel.Height}\" fill=\"none\" stroke=\"#444\"/>\n"));
        for (var i = 0; i <= 4; i++)
        {
            var value = panel.YMax * i / 4;
            var y = panel.Y(value);
            svg.Append(Format($"<line x1=\"{panel.Left}\" x2=\"{panel.Left + panel.Width}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Format($"<text x=\"{panel.Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{value:G4}</text>\n"));
            var seconds = panel.XMax * i / 4;
            svg.Append(Format($"<text x=\"{panel.X(seconds):F1}\" y=\"{panel.Top + panel.Height + 16}\" text-anchor=\"middle\">{seconds:F0} {unit}</text>\n"));
        }

        svg.Append(Format($"<text transform=\"translate(16 {panel.Top + (panel.Height / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(label)}</text>\n"));
    }

    private static void Line(StringBuilder svg, Panel panel, IEnumerable<(double X, double Y)> points, string colour)
    {
        var path = string.Join(' ', points.Select(p => Format($"{panel.X(p.X):F1},{panel.Y(p.Y):F1}")));
        if (path.Length > 0)
        {
            svg.Append(Format($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n"));
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        if (!(value > 0))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    private static double Zero(double value) => double.IsNaN(value) ? 0 : value;

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Panel(double Left, double Top, double Width, double Height, double XMax, double YMax)
    {
        public double X(double seconds) => Left + (Math.Clamp(seconds / XMax, 0, 1) * Width);

        public double Y(double value) => Top + Height - (Math.Clamp(value / YMax, 0, 1) * Height);
    }
}
