using System.Diagnostics;

namespace V2AStream.Testing.Media;

/// <summary>
/// Bad and awkward inputs the tests make themselves with ffmpeg (never committed): timestamp jumps, wraps and restarts,
/// a corrupted PTS, damaged and cut files, pictures too large, fake headers. Each method writes one file into
/// <c>directory</c> and returns its path; the pictures are ffmpeg's testsrc2 at 25 fps unless a name says otherwise.
/// </summary>
public static class HostileMedia
{
    /// <summary>Media seconds of the timestamp clips: two 5 s halves.</summary>
    public const double JumpClipSeconds = 10;

    private const string Picture = "testsrc2=size=160x120:rate=25";

    /// <summary>Matroska, 10 s, whose timestamps jump forward by 23 hours at 5 s (a splice; not a TS, so ffmpeg does not correct it).</summary>
    public static string TimestampJumpMkv(string directory) =>
        Make(directory, "jump-23h.mkv", "-f", "lavfi", "-t", "10", "-i", Picture, "-vf", "setpts='if(gte(T,5),PTS+82800/TB,PTS)'", "-vsync", "passthrough", "-c:v", "libx264", "-preset", "ultrafast", "-f", "matroska");

    /// <summary>MPEG-TS, 10 s, whose timestamps jump forward by 5 s at 5 s (under ffmpeg's own 10 s TS correction).</summary>
    public static string ShortJumpTs(string directory) =>
        Make(directory, "jump-5s.ts", "-f", "lavfi", "-t", "10", "-i", Picture, "-vf", "setpts='if(gte(T,5),PTS+5/TB,PTS)'", "-vsync", "passthrough", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts");

    /// <summary>
    /// MPEG-TS, 10 s, with B-frames, in which the PTS bytes of one PES header (the 120th, about 5 s in) were overwritten
    /// with a PTS 23 hours later while its DTS stayed: the corruption a damaged broadcast or RTMP feed shows.
    /// </summary>
    public static string CorruptedPtsTs(string directory)
    {
        var clean = Make(directory, "clean-bframes.ts", "-f", "lavfi", "-t", "10", "-i", Picture, "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-bf", "2", "-f", "mpegts");
        var bytes = File.ReadAllBytes(clean);
        ShiftOnePts(bytes, pesIndex: 120, ticks: 82800L * 90000);
        var path = Path.Combine(directory, "corrupted-pts.ts");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Two 5 s MPEG-TS files concatenated byte for byte: the timestamps restart at 0 halfway.</summary>
    public static string RestartingTs(string directory)
    {
        var half = Make(directory, "half.ts", "-f", "lavfi", "-t", "5", "-i", Picture, "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts");
        var bytes = File.ReadAllBytes(half);
        var path = Path.Combine(directory, "restarting.ts");
        File.WriteAllBytes(path, [.. bytes, .. bytes]);
        return path;
    }

    /// <summary>MPEG-TS, 10 s, whose 33-bit timestamps wrap to 0 about 3.7 s in.</summary>
    public static string WrappingTs(string directory) =>
        Make(directory, "wrapping.ts", "-f", "lavfi", "-t", "10", "-i", Picture, "-c:v", "libx264", "-preset", "ultrafast", "-output_ts_offset", "95440", "-f", "mpegts");

    /// <summary>MPEG-TS, 4 s: 2 s at 160x120, then 2 s at 320x240 (the picture size changes mid-stream).</summary>
    public static string ResolutionChangeTs(string directory)
    {
        var small = Make(directory, "small.ts", "-f", "lavfi", "-t", "2", "-i", Picture, "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts");
        var large = Make(directory, "large.ts", "-f", "lavfi", "-t", "2", "-i", "testsrc2=size=320x240:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-output_ts_offset", "2", "-f", "mpegts");
        var path = Path.Combine(directory, "resolution-change.ts");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(small), .. File.ReadAllBytes(large)]);
        return path;
    }

    /// <summary>2 s of 3840x2160 H.264 in MPEG-TS.</summary>
    public static string FourKTs(string directory) =>
        Make(directory, "4k.ts", "-f", "lavfi", "-t", "2", "-i", "testsrc2=size=3840x2160:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts");

    /// <summary>One 16000x16000 PNG picture in Matroska: 768 MB once decoded.</summary>
    public static string HugePictureMkv(string directory) =>
        Make(directory, "huge-picture.mkv", "-f", "lavfi", "-i", "color=c=red:size=16000x16000", "-frames:v", "1", "-c:v", "png", "-f", "matroska");

    /// <summary>A single PNG picture.</summary>
    public static string SinglePng(string directory) =>
        Make(directory, "picture.png", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", "-f", "image2");

    /// <summary>An MP4 (faststart) holding exactly one frame.</summary>
    public static string OneFrameMp4(string directory) =>
        Make(directory, "one-frame.mp4", "-f", "lavfi", "-i", Picture, "-frames:v", "1", "-c:v", "libx264", "-movflags", "+faststart", "-f", "mp4");

    /// <summary>An MP4 of <paramref name="seconds"/> s with its index (moov) after its media (mdat): ffmpeg's default layout.</summary>
    public static string IndexAtEndMp4(string directory, double seconds = 4) =>
        Make(directory, "index-at-end.mp4", "-f", "lavfi", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Picture, "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4");

    /// <summary>The first <paramref name="fraction"/> of <paramref name="path"/>'s bytes, as <paramref name="name"/>.</summary>
    public static string Head(string path, double fraction, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(Path.GetDirectoryName(path)!, name);
        File.WriteAllBytes(cut, bytes[..(int)(bytes.Length * fraction)]);
        return cut;
    }

    /// <summary>The bytes of <paramref name="path"/> after its first <paramref name="fraction"/>, as <paramref name="name"/>.</summary>
    public static string Tail(string path, double fraction, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(Path.GetDirectoryName(path)!, name);
        File.WriteAllBytes(cut, bytes[(int)(bytes.Length * fraction)..]);
        return cut;
    }

    /// <summary>Runs ffmpeg (quiet, no stdin) and throws with its stderr when it fails.</summary>
    public static void Ffmpeg(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {stderr}");
        }
    }

    private static string Make(string directory, string name, params string[] arguments)
    {
        var path = Path.Combine(directory, name);
        Ffmpeg([.. arguments, path]);
        return path;
    }

    /// <summary>
    /// Adds <paramref name="ticks"/> (90 kHz) to the PTS of the <paramref name="pesIndex"/>-th video PES header that carries
    /// both a PTS and a DTS (ISO/IEC 13818-1 2.4.3.6: 33 bits in 5 bytes with marker bits), leaving its DTS as it was.
    /// </summary>
    private static void ShiftOnePts(byte[] ts, int pesIndex, long ticks)
    {
        var seen = 0;
        for (var packet = 0; packet + 188 <= ts.Length; packet += 188)
        {
            var unitStart = (ts[packet + 1] & 0x40) != 0;
            var adaptation = (ts[packet + 3] >> 4) & 3;
            var payload = packet + 4 + (adaptation is 2 or 3 ? 1 + ts[packet + 4] : 0);
            if (ts[packet] != 0x47 || !unitStart || adaptation == 2 || payload + 14 > packet + 188
                || ts[payload] != 0 || ts[payload + 1] != 0 || ts[payload + 2] != 1 || ts[payload + 3] != 0xE0 || (ts[payload + 7] >> 6) != 3)
            {
                continue;
            }

            if (++seen < pesIndex)
            {
                continue;
            }

            var at = payload + 9;
            long pts = ((long)((ts[at] >> 1) & 7) << 30) | ((long)ts[at + 1] << 22) | ((long)((ts[at + 2] >> 1) & 0x7F) << 15) | ((long)ts[at + 3] << 7) | (long)((ts[at + 4] >> 1) & 0x7F);
            pts = (pts + ticks) & ((1L << 33) - 1);
            ts[at] = (byte)((ts[at] & 0xF0) | (int)(((pts >> 30) & 7) << 1) | 1);
            ts[at + 1] = (byte)(pts >> 22);
            ts[at + 2] = (byte)((((pts >> 15) & 0x7F) << 1) | 1);
            ts[at + 3] = (byte)(pts >> 7);
            ts[at + 4] = (byte)(((pts & 0x7F) << 1) | 1);
            return;
        }

        throw new InvalidOperationException($"The stream has fewer than {pesIndex} video PES headers with a PTS and a DTS.");
    }
}
