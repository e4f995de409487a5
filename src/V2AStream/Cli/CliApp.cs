using System.CommandLine;
using V2AStream.Cli.Commands;

namespace V2AStream.Cli;

/// <summary>
/// The <c>v2a</c> command line: one <see cref="Command"/> per file under Cli/Commands, assembled here.
/// </summary>
internal static class CliApp
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("V2AStream: streaming video-to-audio. Run 'v2a demo' to see it work, 'v2a doctor' to check the machine.");
        foreach (var command in CreateCommands())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            // Bad usage exits 2 (System.CommandLine's own default is 1, the code of a failed run).
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run '{CommandPath(parseResult.CommandResult)} --help' for usage.").ConfigureAwait(false);
            return 2;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"v2a models check": the command as typed, from the root.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command is RootCommand ? "v2a" : current.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static IEnumerable<Command> CreateCommands()
    {
        yield return DemoCommand.Create();
        yield return ServeCommand.Create();
        yield return StreamCommand.Create();
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
    }
}
