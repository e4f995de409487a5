using System.Diagnostics;
using Xunit;

namespace V2AStream.Testing;

/// <summary>A program (ffmpeg, ffprobe) run to its end by a test, which fails with the program's stderr when it does.</summary>
public static class ProgramRun
{
    /// <summary>Runs <paramref name="program"/> and returns its stdout.</summary>
    public static Task<string> OutputAsync(string program, params string[] arguments) => RunAsync(program, stderr: false, arguments);

    /// <summary>Runs <paramref name="program"/> and returns its stderr (ffmpeg's filter logs go there).</summary>
    public static Task<string> ErrorsAsync(string program, params string[] arguments) => RunAsync(program, stderr: true, arguments);

    private static async Task<string> RunAsync(string program, bool stderr, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {await errors}");
        return stderr ? await errors : await output;
    }
}
