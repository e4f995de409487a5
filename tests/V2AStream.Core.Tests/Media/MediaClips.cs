using V2AStream.Testing.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>Small clips made once with ffmpeg's lavfi sources in a temp folder (never committed), deleted at the end.</summary>
public sealed class MediaClips : IDisposable
{
    public const double DurationSeconds = 3;

    public MediaClips()
    {
        Directory = Path.Combine(Path.GetTempPath(), "v2a-media-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
            "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", "-shortest", Mp4);
        HostileMedia.Ffmpeg("-i", Mp4, "-c", "copy", "-f", "mpegts", Ts);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "1", AudioOnly);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "color=red:size=80x120:rate=25", "-f", "lavfi", "-i", "color=blue:size=80x120:rate=25",
            "-filter_complex", "hstack", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", Path.Combine(Directory, "red-blue.mp4"));
        HostileMedia.Ffmpeg("-i", Path.Combine(Directory, "red-blue.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", Rotated);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "color=red:size=100x120:rate=25", "-f", "lavfi", "-i", "color=lime:size=120x120:rate=25",
            "-f", "lavfi", "-i", "color=blue:size=100x120:rate=25", "-filter_complex", "hstack=inputs=3", "-t", "1",
            "-c:v", "libx264", "-pix_fmt", "yuv444p", "-qp", "0", Wide);

        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "color=red:size=50x120:rate=25", "-f", "lavfi", "-i", "color=lime:size=60x120:rate=25",
            "-f", "lavfi", "-i", "color=blue:size=50x120:rate=25", "-filter_complex", "hstack=inputs=3,setsar=2", "-t", "1",
            "-c:v", "libx264", "-pix_fmt", "yuv444p", "-qp", "0", WideByPixelAspect);
        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "color=red:size=32x24:rate=25:duration=0.52", "-f", "lavfi", "-i", "color=blue:size=32x24:rate=25:duration=0.48",
            "-filter_complex", "concat=n=2:v=1:a=0", "-c:v", "libx264", "-pix_fmt", "yuv444p", "-qp", "0", RedToBlueAtHalfASecond);
        System.IO.Directory.CreateDirectory(HlsDirectory);
        HostileMedia.Ffmpeg("-i", Ts, "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", Path.Combine(HlsDirectory, "index.m3u8"));

        var mp4 = File.ReadAllBytes(Mp4);
        File.WriteAllBytes(TruncatedFaststart, mp4[..(mp4.Length / 2)]);
        HostileMedia.Ffmpeg("-i", Mp4, "-c", "copy", Path.Combine(Directory, "index-at-end.mp4"));
        var indexAtEnd = File.ReadAllBytes(Path.Combine(Directory, "index-at-end.mp4"));
        File.WriteAllBytes(IndexMissing, indexAtEnd[..(indexAtEnd.Length / 2)]);
        File.WriteAllBytes(IndexAtEnd, indexAtEnd);

        var ts = File.ReadAllBytes(Ts);
        var damaged = (byte[])ts.Clone();
        var random = new Random(7);
        random.NextBytes(damaged.AsSpan(damaged.Length / 2, 4096));
        File.WriteAllBytes(CorruptTs, damaged);

        var junk = new byte[4096];
        random.NextBytes(junk);
        File.WriteAllBytes(Junk, junk);
        File.WriteAllText(Text, "hello, this is not a video\n");
        File.WriteAllBytes(Empty, []);
    }

    public string Directory { get; }

    /// <summary>160x120, 25 fps, 3 s, H.264 + AAC, faststart (readable from a pipe).</summary>
    public string Mp4 => Path.Combine(Directory, "clip.mp4");

    /// <summary>The same streams in MPEG-TS.</summary>
    public string Ts => Path.Combine(Directory, "clip.ts");

    public string AudioOnly => Path.Combine(Directory, "tone.wav");

    /// <summary>160x120 red left half, blue right half, stored with a 90-degree display rotation.</summary>
    public string Rotated => Path.Combine(Directory, "rotated.mp4");

    /// <summary>320x120: red 100 px, green 120 px, blue 100 px (lossless).</summary>
    public string Wide => Path.Combine(Directory, "wide.mp4");

    /// <summary>160x120 stored, pixel aspect 2:1, so shown as 320x120: red 100, green 120, blue 100 (lossless).</summary>
    public string WideByPixelAspect => Path.Combine(Directory, "wide-sar.mp4");

    /// <summary>The TS clip as an HLS playlist (index.m3u8) and 1 s segments.</summary>
    /// <summary>25 fps: 13 red frames (0 to 0.48 s), then blue from 0.52 s, lossless.</summary>
    public string RedToBlueAtHalfASecond => Path.Combine(Directory, "red-to-blue.mp4");

    public string HlsDirectory => Path.Combine(Directory, "hls");

    public string TruncatedFaststart => Path.Combine(Directory, "truncated-faststart.mp4");

    public string IndexMissing => Path.Combine(Directory, "truncated-index-missing.mp4");

    public string IndexAtEnd => Path.Combine(Directory, "index-at-end-full.mp4");

    public string CorruptTs => Path.Combine(Directory, "corrupt.ts");

    public string Junk => Path.Combine(Directory, "junk.mp4");

    public string Text => Path.Combine(Directory, "notes.txt");

    public string Empty => Path.Combine(Directory, "empty.mp4");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
