namespace V2AStream.Core.Tests.Pipeline;

/// <summary>8 s of testsrc2 (moving) cut to 8 s of a Mandelbrot zoom, made once with lavfi.</summary>
public sealed class SmoothShotsClip : IDisposable
{
    public const double ShotSeconds = 8;

    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-steadiness-").FullName;

    public SmoothShotsClip() =>
        SceneClip.Concatenate(Path, ["testsrc2=size=160x120:rate=25", "mandelbrot=size=160x120:rate=25"], ShotSeconds);

    public string Path => System.IO.Path.Combine(_directory, "smooth-shots.mp4");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
