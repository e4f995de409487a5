namespace V2AStream.Testing.Media;

/// <summary>
/// Clips for dataset tests, made with ffmpeg's lavfi sources: scenes of one colour each (64x48, 25 fps, H.264), each with
/// a sine of its own frequency (lavfi's amplitude 1/8, 48 kHz); FLAC in .mkv (lossless), AAC otherwise. A clip whose
/// scenes have no frequency has no audio track at all.
/// </summary>
public static class ToneSceneClip
{
    public static string Make(string path, params (string Colour, int? Frequency, double Seconds)[] scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var arguments = new List<string>();
        var withAudio = scenes.All(s => s.Frequency is not null);
        foreach (var (colour, _, seconds) in scenes)
        {
            arguments.AddRange(["-f", "lavfi", "-i", FormattableString.Invariant($"color={colour}:size=64x48:rate=25:duration={seconds}")]);
        }

        if (withAudio)
        {
            foreach (var (_, frequency, seconds) in scenes)
            {
                arguments.AddRange(["-f", "lavfi", "-i", FormattableString.Invariant($"sine=frequency={frequency}:sample_rate=48000:duration={seconds}")]);
            }
        }

        var n = scenes.Length;
        var inputs = string.Concat(Enumerable.Range(0, n).Select(i => withAudio ? $"[{i}:v][{n + i}:a]" : $"[{i}:v]"));
        arguments.AddRange(["-filter_complex", $"{inputs}concat=n={n}:v=1:a={(withAudio ? 1 : 0)}{(withAudio ? "[v][a]" : "[v]")}", "-map", "[v]"]);
        if (withAudio)
        {
            arguments.AddRange(["-map", "[a]", "-c:a", path.EndsWith(".mkv", StringComparison.Ordinal) ? "flac" : "aac"]);
        }

        arguments.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]);
        HostileMedia.Ffmpeg([.. arguments]);
        return path;
    }
}
