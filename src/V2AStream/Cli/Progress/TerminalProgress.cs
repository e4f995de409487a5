using Spectre.Console;

namespace V2AStream.Cli.Progress;

/// <summary>
/// The progress display of long CLI work (Spectre.Console), one for every command: drawn on stderr only when stderr is
/// this process's terminal and the command was not asked for --json; otherwise the work runs with a
/// <see cref="WorkProgress"/> that draws nothing, so pipes, logs and tests see only the command's own output. The
/// display is cleared when the work ends, for the command's one-line summary.
/// </summary>
internal static class TerminalProgress
{
    /// <summary>Whether a display would be drawn: stderr is the terminal and the output is not JSON.</summary>
    public static bool Draws(TextWriter error, bool json) => !json && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="work"/> with a display counting <paramref name="kind"/>; <paramref name="total"/> null when the length is not known.</summary>
    public static async Task<T> RunAsync<T>(TextWriter error, bool json, ProgressKind kind, string description, double? total, Func<WorkProgress, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Draws(error, json))
        {
            return await work(new WorkProgress(error)).ConfigureAwait(false);
        }

        // Spectre calls a console interactive only when stdin is a terminal too; the display draws on stderr, which is
        // the terminal here, also for `ffmpeg ... | v2a run -` (stdin a pipe), the command that needs it most.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        ProgressColumn[] columns = kind == ProgressKind.Steps
            ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()]
            : total is > 0
                ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new MediaTimeColumn(), new SpeedColumn(), new RemainingTimeColumn()]
                // A live pipe has no end to count down to (Spectre would print **:**:**).
                : [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new MediaTimeColumn(), new SpeedColumn()];
        return await console.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total is > 0 ? total.Value : 1);
                task.IsIndeterminate = total is not > 0;
                return await work(new WorkProgress(error, console, task)).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }
}
