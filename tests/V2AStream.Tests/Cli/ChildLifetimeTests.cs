using System.Diagnostics;
using System.Globalization;
using V2AStream.Cli;
using V2AStream.Testing.Media;

namespace V2AStream.Tests.Cli;

/// <summary>
/// An ffmpeg child dies with the v2a process that started it (DESIGN.md section 8), however that process ends: here
/// ffmpeg waits on a URL that never sends a byte, so nothing but its parent's death can end it within the test.
/// </summary>
public sealed class ChildLifetimeTests
{
    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public async Task Run_CliKilledWhileFfmpegWaitsOnTheNetwork_FfmpegDiesWithIt(string signal)
    {
        await using var server = new LocalHttpServer(new Dictionary<string, byte[]>());
        server.Silent.Add("/live.ts");
        var directory = Directory.CreateTempSubdirectory("v2a-lifetime-").FullName;
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { typeof(CliApp).Assembly.Location, "run", server.UrlOf("/live.ts"), "--out", Path.Combine(directory, "out.wav") })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(startInfo)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var ffmpeg = await WaitForAsync(() => ChildNamed(cli.Id, "ffmpeg"), timeout.Token);
            await WaitForAsync(() => server.Requests.Count > 0 ? (int?)1 : null, timeout.Token);

            using (var kill = Process.Start("kill", [$"-{signal}", cli.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await cli.WaitForExitAsync(timeout.Token);
            using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await WaitForAsync(() => IsGone(ffmpeg) ? (int?)1 : null, gone.Token);
        }
        finally
        {
            if (!cli.HasExited)
            {
                cli.Kill(entireProcessTree: true);
            }

            await Task.WhenAll(output, errors);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> WaitForAsync(Func<int?> probe, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The pid of a child of <paramref name="parent"/> named <paramref name="name"/>, or null.</summary>
    private static int? ChildNamed(int parent, string name)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat
                && stat.Name == name && stat.Parent == parent)
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="pid"/> has ended (gone, or a zombie waiting for whoever inherited it).</summary>
    private static bool IsGone(int pid) => Stat(pid) is not { } stat || stat.State == 'Z';

    private static (string Name, char State, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        var fields = text[(close + 2)..].Split(' ');
        return (text[(open + 1)..close], fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
