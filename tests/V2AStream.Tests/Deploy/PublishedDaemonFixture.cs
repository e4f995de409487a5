using System.Diagnostics;
using V2AStream.Testing;

namespace V2AStream.Tests.Deploy;

/// <summary>
/// Runs the containers' build step once, as the Dockerfile's build stage runs it (<c>./v2a publish --out DIR --cpu</c>),
/// into a folder every user may read, and makes a clip to stream.
/// </summary>
public sealed class PublishedDaemonFixture : IAsyncLifetime
{
    /// <summary>The publish output: what the image copies to /app.</summary>
    public string App => Path.Combine(Folder, "app");

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"v2a-publish-tests-{Guid.NewGuid():N}");

    /// <summary>6 s of lavfi testsrc2, H.264, faststart MP4.</summary>
    public string Clip => Path.Combine(Folder, "testsrc-6s.mp4");

    public async Task InitializeAsync()
    {
        // Created with the default umask (world-readable), so that the daemon can run as an unprivileged user.
        Directory.CreateDirectory(Folder);
        var build = ContainerImage.Read().BuildSteps.Single(step => step.StartsWith("./v2a publish", StringComparison.Ordinal));
        var arguments = build.Split(' ').Skip(1).Select(a => a switch { "/app" => App, "--${FLAVOUR}" => "--cpu", _ => a }).ToList();
        var startInfo = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "v2a")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host's MSBuild and VSTest settings are not the publish's business.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        using var publish = Process.Start(startInfo)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"./v2a publish failed ({publish.ExitCode}): {errors} {await output}");
        }

        await Daemon.DaemonFixture.FfmpegAsync(["-f", "lavfi", "-t", "6", "-i", "testsrc2=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", Clip]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
