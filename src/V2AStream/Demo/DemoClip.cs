using System.Globalization;
using V2AStream.Core.Media;

namespace V2AStream.Demo;

/// <summary>
/// The demo's input: a multi-scene H.264 clip cut together from ffmpeg's lavfi sources, made on the
/// spot so the demo needs no media files. Each scene is visually distinct, so the cuts are known.
/// </summary>
internal static class DemoClip
{
    /// <summary>Seconds per scene.</summary>
    public const double SceneSeconds = 4;

    /// <summary>The lavfi sources, one per scene, in order.</summary>
    public static readonly IReadOnlyList<string> Scenes =
    [
        "testsrc2=size=640x360:rate=25",
        "mandelbrot=size=640x360:rate=25",
        "smptehdbars=size=640x360:rate=25",
        "life=size=640x360:rate=25:mold=10:ratio=0.1:life_color=#00ff66:death_color=#202060",
        "cellauto=size=640x360:rate=25:rule=110",
    ];

    /// <summary>Where the cuts are, in seconds: the start of every scene but the first.</summary>
    public static IReadOnlyList<double> CutSeconds => Enumerable.Range(1, Scenes.Count - 1).Select(i => i * SceneSeconds).ToArray();

    public static double DurationSeconds => Scenes.Count * SceneSeconds;

    /// <summary>Writes the clip to <paramref name="path"/> (mp4, H.264, 25 fps, no audio).</summary>
    public static Task MakeAsync(FfmpegTool ffmpeg, string path, CancellationToken cancellationToken)
    {
        var duration = SceneSeconds.ToString(CultureInfo.InvariantCulture);
        var inputs = new List<string>();
        foreach (var scene in Scenes)
        {
            inputs.AddRange(["-f", "lavfi", "-t", duration, "-i", scene]);
        }

        var normalize = string.Join(';', Scenes.Select((_, i) => $"[{i}:v]format=yuv420p,setsar=1[v{i}]"));
        var concat = string.Concat(Scenes.Select((_, i) => $"[v{i}]")) + $"concat=n={Scenes.Count}:v=1:a=0[out]";
        return ffmpeg.RunAsync(
            [.. inputs, "-filter_complex", $"{normalize};{concat}", "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", path],
            "demo clip",
            cancellationToken);
    }
}
