using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace V2AStream.Cli.Progress;

/// <summary>"4.5x real time": seconds of media done per second of wall time, over the whole run so far.</summary>
internal sealed class SpeedColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var elapsed = task.ElapsedTime?.TotalSeconds ?? 0;
        return new Text(elapsed > 0.5 ? string.Create(CultureInfo.InvariantCulture, $"{task.Value / elapsed:F1}x real time") : "-");
    }
}
