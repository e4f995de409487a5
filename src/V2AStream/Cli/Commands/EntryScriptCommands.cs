using System.CommandLine;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>test</c>, <c>setup</c> and <c>publish</c>: done by the <c>./v2a</c> script itself (they install packages and build, which the
/// program cannot do for itself), and listed here so that <c>./v2a --help</c> shows every command. Reached only when
/// the program is started without the script; they then say how to run them.
/// </summary>
internal static class EntryScriptCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Script("test", "Run every test (installs ffmpeg, python3-grpcio, python3-numpy, util-linux and the Node sample's packages on first use).", []);
        var gpu = new Option<bool>("--gpu") { Description = "Switch to the CUDA build of ONNX Runtime." };
        var cpu = new Option<bool>("--cpu") { Description = "Switch back to the CPU build." };
        yield return Script("setup", "Install what is missing and build, then run 'doctor'.", [gpu, cpu]);
        var publishOut = new Option<string>("--out") { Description = "The folder to publish to.", HelpName = "DIR" };
        var publishGpu = new Option<bool>("--gpu") { Description = "With the CUDA build of ONNX Runtime." };
        yield return Script("publish", "Publish the daemon as the container images ship it (ReadyToRun, linux-x64).", [publishOut, publishGpu]);
    }

    private static Command Script(string name, string description, IReadOnlyList<Option> options)
    {
        var command = new Command(name, $"{description} Done by the ./v2a script: run './v2a {name}' from the repository.");
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(new Func<ParseResult, int>(_ => throw new CliUsageException($"'{name}' is done by the ./v2a script, not the program: run './v2a {name}' from the repository.")));
        return command;
    }
}
