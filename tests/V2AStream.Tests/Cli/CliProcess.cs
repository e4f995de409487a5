using System.Diagnostics;
using V2AStream.Cli;

namespace V2AStream.Tests.Cli;

/// <summary>The CLI as its own process, as a user meets it (signals, exit codes, everything on stderr).</summary>
internal static class CliProcess
{
    /// <summary>Starts <c>v2a ARGS</c> with stdin, stdout and stderr redirected.</summary>
    public static Process Start(params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (var argument in args)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)!;
    }
}
