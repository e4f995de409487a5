using System.Diagnostics;
using V2AStream.Daemon;
using V2AStream.Hosting;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// A real daemon on a free loopback port (in this process, so its ffmpeg children are this process's), with
/// GenerateFromSource allowed under one temp folder, and clips made there once with lavfi: three distinct
/// 20 s scenes (60 s), as MP4 and as MPEG-TS.
/// </summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public const double SceneSeconds = 20;

    private DaemonHost? _host;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("v2a-daemon-tests-").FullName;

    public string Mp4 => Path.Combine(Directory, "three-scenes-60s.mp4");

    public string Ts => Path.Combine(Directory, "three-scenes-60s.ts");

    public Uri Address => _host!.GrpcAddress;

    internal DaemonOptions Options { get; } = new() { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 3 };

    public async Task InitializeAsync()
    {
        string[] sources = ["testsrc2=size=160x120:rate=25", "smptebars=size=160x120:rate=25", "mandelbrot=size=160x120:rate=25"];
        var arguments = new List<string>();
        foreach (var source in sources)
        {
            arguments.AddRange(["-f", "lavfi", "-t", "20", "-i", source]);
        }

        arguments.AddRange(["-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[2:v]setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", "-y", Mp4]);
        await FfmpegAsync(arguments);
        await FfmpegAsync(["-i", Mp4, "-c", "copy", "-f", "mpegts", "-y", Ts]);
        var options = Options with { AllowRoots = [Directory] };
        _host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>One scene of lavfi testsrc2, 160x120 at 25 fps, as a faststart H.264 MP4.</summary>
    public static Task TestsrcClipAsync(string path, int seconds) =>
        FfmpegAsync(["-f", "lavfi", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "testsrc2=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", path]);

    public static async Task FfmpegAsync(IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error", "-nostdin" }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed making a test clip: {errors}");
        }
    }
}
