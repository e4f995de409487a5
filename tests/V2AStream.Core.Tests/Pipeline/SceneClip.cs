using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Pipeline;

/// <summary>A 9 s clip of three visually distinct 3 s scenes, made once with lavfi (never committed).</summary>
public sealed class SceneClip : IDisposable
{
    public const double SceneSeconds = 3;
    public const int SceneCount = 3;

    public SceneClip()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("v2a-pipeline-tests-").FullName;
        Concatenate(Path, ["testsrc2=size=160x120:rate=25", "smptebars=size=160x120:rate=25", "mandelbrot=size=160x120:rate=25"], SceneSeconds);
        HostileMedia.Ffmpeg("-nostdin", "-i", Path, "-c", "copy", "-f", "mpegts", TsPath);
    }

    public string Directory { get; }

    /// <summary>The same clip as MPEG-TS: a reader of it over a pipe cannot know where it ends until the pipe closes.</summary>
    public string TsPath => System.IO.Path.Combine(Directory, "three-scenes.ts");

    public string Path => System.IO.Path.Combine(Directory, "three-scenes.mp4");

    public static double DurationSeconds => SceneSeconds * SceneCount;

    /// <summary>Writes an H.264 MP4 of <paramref name="sources"/> (lavfi), <paramref name="secondsEach"/> seconds of each, cut together.</summary>
    public static void Concatenate(string path, IReadOnlyList<string> sources, double secondsEach)
    {
        var arguments = new List<string> { "-nostdin" };
        foreach (var source in sources)
        {
            arguments.AddRange(["-f", "lavfi", "-t", secondsEach.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", source]);
        }

        var labels = string.Concat(sources.Select((_, i) => $"[{i}:v]setsar=1[s{i}];"));
        var concat = string.Concat(sources.Select((_, i) => $"[s{i}]")) + $"concat=n={sources.Count}:v=1:a=0,format=yuv420p[v]";
        arguments.AddRange(["-filter_complex", labels + concat, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-movflags", "+faststart", path]);
        HostileMedia.Ffmpeg([.. arguments]);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
