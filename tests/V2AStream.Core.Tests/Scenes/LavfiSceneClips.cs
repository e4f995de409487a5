using System.Diagnostics;

namespace V2AStream.Core.Tests.Scenes;

/// <summary>
/// Clips made once with ffmpeg's lavfi sources in a temp folder (never committed): two 20 s still pictures, and
/// three 20 s scenes (testsrc2, smptebars, mandelbrot) whose true cuts are at 20 s and 40 s. H.264 at 160x120, so
/// each keyframe re-quantizes the still pictures the way a real encoder does.
/// </summary>
public sealed class LavfiSceneClips : IDisposable
{
    public const double SceneSeconds = 20;

    public LavfiSceneClips()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("v2a-scenes-tests-").FullName;
        foreach (var source in new[] { "smptebars", "rgbtestsrc" })
        {
            Ffmpeg("-f", "lavfi", "-t", "20", "-i", $"{source}=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", StillPath(source));
        }

        Ffmpeg(
            "-f", "lavfi", "-t", "20", "-i", "testsrc2=size=160x120:rate=25",
            "-f", "lavfi", "-t", "20", "-i", "smptebars=size=160x120:rate=25",
            "-f", "lavfi", "-t", "20", "-i", "mandelbrot=size=160x120:rate=25",
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[2:v]setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", ThreeScenesPath);
    }

    public string Directory { get; }

    /// <summary>testsrc2, smptebars, mandelbrot, 20 s each.</summary>
    public string ThreeScenesPath => Path.Combine(Directory, "three-scenes.mp4");

    /// <summary>A 20 s clip of one lavfi still picture (smptebars or rgbtestsrc).</summary>
    public string StillPath(string source) => Path.Combine(Directory, $"{source}.mp4");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static void Ffmpeg(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-nostdin", .. arguments, "-y"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not make the test clip: {errors}");
        }
    }
}
