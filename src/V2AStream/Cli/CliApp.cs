using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using V2AStream.Cli.Commands;
using V2AStream.Core.Files;

namespace V2AStream.Cli;

/// <summary>
/// The <c>v2a</c> command line: one <see cref="Command"/> per file under Cli/Commands, assembled here, and the
/// conventions every command shares: a usage error is one line and exit code 2 (<see cref="UsageErrors"/>); a failure
/// one line and 1; Ctrl-C and SIGTERM cancel the command (<see cref="TerminationSignals"/>) and exit 130 or 143.
/// </summary>
internal static class CliApp
{
    /// <summary>Set to 1 to have an unexpected failure print where it happened, for a bug report.</summary>
    public const string DebugVariable = "V2A_DEBUG";

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("V2AStream: streaming video-to-audio. Run 'v2a demo' to see it work, 'v2a doctor' to check the machine.");
        foreach (var command in CreateCommands())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>The program: the process's console, with Ctrl-C and SIGTERM cancelling the command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Every message is English, System.CommandLine's included, whatever the machine's language.
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        using var signals = new TerminationSignals();
        var code = await InvokeAsync(args, Console.Out, Console.Error, signals.Token).ConfigureAwait(false);
        return code == ExitCodes.Interrupted && signals.ExitCode != 0 ? signals.ExitCode : code;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code. Cancelling
    /// <paramref name="cancellationToken"/> stops the command as Ctrl-C does (exit code 130).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            await error.WriteLineAsync($"error: {UsageErrors.Describe(parseResult)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The signals are ours (TerminationSignals): System.CommandLine's handler would end the process two
            // seconds after Ctrl-C whether or not the command had finished its files.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliUsageException or OutputPathException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // A failure no command expected: still one line, and the trace only when asked for.
            var detail = Environment.GetEnvironmentVariable(DebugVariable) == "1" ? $"\n{ex}" : $" (an unexpected failure: {DebugVariable}=1 shows where)";
            await error.WriteLineAsync($"error: {OneLine(ex.Message)}{detail}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static IEnumerable<Command> CreateCommands()
    {
        yield return DemoCommand.Create();
        yield return ServeCommand.Create();
        yield return StreamCommand.Create();
        yield return RelayCommand.Create();
        yield return RunCommand.Create();
        yield return EmbedCommand.Create();
        yield return ScenesCommand.Create();
        yield return GenerateCommand.Create();
        yield return ModelsCommand.Create();
        yield return DoctorCommand.Create();
        yield return SoakCommand.Create();
        yield return DatasetCommand.Create();
        yield return TrainCommand.Create();
        yield return EvalCommand.Create();
        foreach (var command in EntryScriptCommands.Create())
        {
            yield return command;
        }
    }
}
