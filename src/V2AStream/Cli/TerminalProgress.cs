using Spectre.Console;

namespace V2AStream.Cli;

/// <summary>
/// A progress bar for long CLI work (Spectre.Console), drawn on stderr only when stderr is this process's terminal and
/// the command was not asked for --json; otherwise the work runs with a reporter that draws nothing, so pipes, logs
/// and tests see only the command's own output. The bar is cleared when the work ends.
/// </summary>
internal static class TerminalProgress
{
    /// <summary>Runs <paramref name="work"/>, giving it an update callback: (value out of <paramref name="total"/>, description).</summary>
    public static async Task<T> RunAsync<T>(TextWriter error, bool json, string description, double total, Func<Action<double, string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (json || !ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            return await work(static (_, _) => { }).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                return await work((value, text) =>
                {
                    task.Value = value;
                    task.Description = Markup.Escape(text);
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }
}
