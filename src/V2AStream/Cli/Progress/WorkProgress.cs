using Spectre.Console;

namespace V2AStream.Cli.Progress;

/// <summary>
/// What long work reports its progress through: how far it is, and lines to show the user meanwhile (scene lines of
/// <c>run</c>), which go above the progress display on a terminal and straight to stderr elsewhere. Thread-safe.
/// </summary>
internal sealed class WorkProgress
{
    private readonly ProgressTask? _task;
    private readonly IAnsiConsole? _console;
    private readonly TextWriter _error;
    private readonly Lock _lines = new();

    /// <summary>A reporter that draws nothing (not a terminal, or --json): lines still go to <paramref name="error"/>.</summary>
    public WorkProgress(TextWriter error)
    {
        _error = error;
    }

    /// <summary>A reporter drawing on <paramref name="console"/> through <paramref name="task"/>.</summary>
    public WorkProgress(TextWriter error, IAnsiConsole console, ProgressTask task)
    {
        _error = error;
        _console = console;
        _task = task;
    }

    /// <summary>How far the work is, in the display's unit (epochs, seconds of media); optionally a new description.</summary>
    public void Report(double done, string? description = null)
    {
        if (_task is null)
        {
            return;
        }

        if (_task.IsIndeterminate && done > _task.MaxValue)
        {
            // Unknown length: the "total" follows what has been done, so the media time column shows it.
            _task.MaxValue = done;
        }

        _task.Value = Math.Min(done, _task.MaxValue);
        if (description is not null)
        {
            _task.Description = Markup.Escape(description);
        }
    }

    /// <summary>A line for the user, shown above the progress display.</summary>
    public void WriteLine(string line)
    {
        lock (_lines)
        {
            if (_console is null)
            {
                _error.WriteLine(line);
            }
            else
            {
                _console.WriteLine(line);
            }
        }
    }
}
