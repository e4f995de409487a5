using System.Diagnostics;
using System.Globalization;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>
/// Children die with this process and not before (DESIGN.md section 8). The parent-death side is tested on a real CLI
/// process in V2AStream.Tests (ChildLifetimeTests); here, that a child outlives the thread that asked for it, and
/// that it carries its memory bound.
/// </summary>
public sealed class ChildProcessLauncherTests
{
    [Fact]
    public void GuardsChildren_ThisMachine_HasSetprivAndPrlimit()
    {
        Assert.True(ChildProcessLauncher.Shared.GuardsChildren, "util-linux's setpriv (with --pdeathsig) and prlimit are needed so that ffmpeg children die with the program");
    }

    [Fact]
    public async Task StartAsync_FromAThreadThatThenExits_ChildRunsToItsEnd()
    {
        // The parent-death signal follows the forking thread: a child forked on this short-lived thread would be
        // SIGKILLed (exit 137) as the thread ends, unless the launcher forks it on its own long-lived thread.
        Process? child = null;
        var thread = new Thread(() => child = ChildProcessLauncher.Shared.StartAsync(Ffmpeg("-re", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25", "-t", "1.5", "-f", "null", "-"), memoryLimitBytes: 1L << 30).GetAwaiter().GetResult());
        thread.Start();
        thread.Join();
        Assert.NotNull(child);
        using (child)
        {
            Assert.False(child.HasExited, "the child should still be running (-re makes it take 1.5 s) after the thread ended");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await child.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, child.ExitCode);
        }
    }

    [Fact]
    public async Task StartAsync_WithAMemoryLimit_TheChildsDataLimitIsThatBound()
    {
        const long Limit = 300L << 20;
        using var child = await ChildProcessLauncher.Shared.StartAsync(Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25", "-f", "null", "-"), Limit);
        try
        {
            // setpriv, then prlimit, then ffmpeg: the same pid, with the bound set once ffmpeg runs.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while ((await File.ReadAllTextAsync($"/proc/{child.Id}/comm", timeout.Token)).Trim() != "ffmpeg")
            {
                await Task.Delay(10, timeout.Token);
            }

            var limits = await File.ReadAllLinesAsync($"/proc/{child.Id}/limits");
            var data = limits.Single(l => l.StartsWith("Max data size", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Limit.ToString(CultureInfo.InvariantCulture), data[3]);
            Assert.Equal(Limit.ToString(CultureInfo.InvariantCulture), data[4]);
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task StartAsync_ProgramNotOnPath_ThrowsWin32Exception()
    {
        await Assert.ThrowsAsync<System.ComponentModel.Win32Exception>(() => ChildProcessLauncher.Shared.StartAsync(new ProcessStartInfo("no-such-ffmpeg-v2a"), null));
    }

    private static ProcessStartInfo Ffmpeg(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }
}
