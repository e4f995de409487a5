using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace V2AStream.Cli.Progress;

/// <summary>"12.3 s / 60.0 s" of media done (just "12.3 s" when the length is not known).</summary>
internal sealed class MediaTimeColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var text = task.IsIndeterminate
            ? string.Create(CultureInfo.InvariantCulture, $"{task.Value:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{task.Value:F1} s / {task.MaxValue:F1} s");
        return new Text(text);
    }
}
