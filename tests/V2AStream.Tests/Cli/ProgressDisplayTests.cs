using System.Diagnostics;
using System.Text.RegularExpressions;
using V2AStream.Cli;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Cli;

/// <summary>
/// The progress display of long work: drawn on a terminal (here a pseudo-terminal made by util-linux's script), with
/// media time and speed, then the one-line summary; never in captured output (every other CLI test) or with --json.
/// Work shorter than the display's first refresh draws nothing, so the display is checked on a live pipe sent at 1x.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ProgressDisplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_LivePipeOnATerminal_ShowsMediaTimeAndSpeedThenTheSummary()
    {
        var clip = Path.Combine(_dir, "clip.ts");
        await DaemonFixture.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mpegts", clip]);

        // Sent at 1x, the work lasts the clip's 4 s whatever the machine's speed, well past the display's first
        // refresh and the half second before it shows a speed; a file is done before that on a fast machine.
        var terminal = await OnATerminalAsync($"ffmpeg -v error -re -i {Quoted(clip)} -c copy -f mpegts - | {Cli("run", "-", "--mode", "live", "-o", Path.Combine(_dir, "out.wav"))}");

        Assert.True(terminal.ExitCode == 0, terminal.Screen);
        Assert.Matches(@"generating .*\d\.\d s .*\d\.\dx real time", terminal.Screen);
        Assert.Matches(@"1 scenes, 4\.\d\d s of media -> \d+ samples at 16000 Hz", terminal.Screen);
    }

    [Fact]
    public async Task Embed_OnATerminal_SummaryOnly_AndWithJsonNoDisplay()
    {
        var clip = Path.Combine(_dir, "clip.mp4");
        await DaemonFixture.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);

        var terminal = await OnATerminalAsync(Cli("embed", clip, "-o", Path.Combine(_dir, "e.npy")));
        var json = await OnATerminalAsync(Cli("embed", clip, "-o", Path.Combine(_dir, "j.npy"), "--json"));

        Assert.True(terminal.ExitCode == 0, terminal.Screen);
        Assert.Matches(@"wrote \d+ x 512 embeddings", terminal.Screen);
        Assert.True(json.ExitCode == 0, json.Screen);
        Assert.DoesNotContain("embedding", json.Screen, StringComparison.Ordinal);
    }

    private static string Cli(params string[] args) =>
        string.Join(' ', new[] { "dotnet", typeof(CliApp).Assembly.Location }.Concat(args).Select(Quoted));

    private static string Quoted(string argument) => $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>Runs a shell command line with a pseudo-terminal as its stdin, stdout and stderr; returns what the terminal got, as plain text.</summary>
    private static async Task<(int ExitCode, string Screen)> OnATerminalAsync(string command)
    {
        var startInfo = new ProcessStartInfo("script") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["TERM"] = "xterm-256color";
        startInfo.Environment["COLUMNS"] = "160";
        using var script = Process.Start(startInfo)!;
        var screen = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await script.WaitForExitAsync(timeout.Token);
        var text = Regex.Replace(await screen + await errors, @"\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07", string.Empty);
        return (script.ExitCode, text.Replace('\r', '\n'));
    }
}
