using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace V2AStream.Testing.MediaServers;

/// <summary>What a viewer finds in a recording, with ffprobe and ffmpeg: codecs, packet time spans, scene cuts, the sound's samples.</summary>
public static partial class MediaProbe
{
    /// <summary>The codec and the time span (first packet's pts to last packet's end) of each stream.</summary>
    public static async Task<Dictionary<string, (string Codec, double Start, double End)>> StreamsAsync(string path)
    {
        using var streams = JsonDocument.Parse(await ProgramRun.OutputAsync("ffprobe", "-v", "error", "-show_entries", "stream=index,codec_type,codec_name", "-of", "json", path));
        using var packets = JsonDocument.Parse(await ProgramRun.OutputAsync("ffprobe", "-v", "error", "-show_entries", "packet=stream_index,pts_time,duration_time", "-of", "json", path));
        var result = new Dictionary<string, (string, double, double)>();
        foreach (var stream in streams.RootElement.GetProperty("streams").EnumerateArray())
        {
            var index = stream.GetProperty("index").GetInt32();
            var spans = packets.RootElement.GetProperty("packets").EnumerateArray()
                .Where(p => p.GetProperty("stream_index").GetInt32() == index && p.TryGetProperty("pts_time", out _))
                .Select(p => (Pts: Seconds(p, "pts_time"), Duration: p.TryGetProperty("duration_time", out _) ? Seconds(p, "duration_time") : 0))
                .ToList();
            result[stream.GetProperty("codec_type").GetString()!] = (stream.GetProperty("codec_name").GetString()!, spans.Min(s => s.Pts), spans.Max(s => s.Pts + s.Duration));
        }

        return result;
    }

    /// <summary>
    /// The presentation times, as the file has them (-copyts: the clock <see cref="SoundAsync"/> uses too), of the frames
    /// that start a new scene (ffmpeg's scene score), the first frame excluded.
    /// </summary>
    public static async Task<List<double>> VideoCutsAsync(string path)
    {
        var log = await ProgramRun.ErrorsAsync("ffmpeg", "-hide_banner", "-nostats", "-copyts", "-i", path, "-an", "-vf", "select='gt(scene,0.3)',showinfo", "-f", "null", "-");
        return ShowinfoTime().Matches(log).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The MD5 of every decoded video frame, in order: equal lists mean the same pictures (a re-encode changes them).</summary>
    public static async Task<List<string>> FrameHashesAsync(string path)
    {
        var lines = await ProgramRun.OutputAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim()).ToList();
    }

    /// <summary>
    /// The first audio stream decoded to mono float samples at <paramref name="sampleRate"/>, sample i at i / rate on the
    /// file's own clock (-copyts; silence before the first packet), as a player that does not skip AAC's priming plays it.
    /// </summary>
    public static async Task<float[]> SoundAsync(string path, int sampleRate)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"v2a-sound-{Guid.NewGuid():N}.f32");
        try
        {
            await ProgramRun.ErrorsAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-copyts", "-i", path, "-map", "0:a:0", "-af", "aresample=async=1:first_pts=0", "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", "-y", raw);
            var bytes = await File.ReadAllBytesAsync(raw);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return samples;
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary>
    /// Where <paramref name="reference"/> sits in <paramref name="signal"/>: the lag in seconds (signal time minus reference
    /// time) with the best normalised correlation, searched within ±<paramref name="maxLagSeconds"/> of
    /// <paramref name="expectedLagSeconds"/>, and that correlation. The reference is trimmed to what every lag can see.
    /// </summary>
    public static (double LagSeconds, double Correlation) Align(ReadOnlySpan<float> reference, ReadOnlySpan<float> signal, int sampleRate, double expectedLagSeconds, double maxLagSeconds)
    {
        var expected = (int)Math.Round(expectedLagSeconds * sampleRate);
        var maxLag = (int)(maxLagSeconds * sampleRate);
        var start = Math.Max(0, maxLag - expected);
        var end = Math.Min(reference.Length, signal.Length - expected - maxLag);
        Assert.True(end - start > sampleRate / 2, "the recording is too short to align its sound with the reference");
        var window = reference[start..end];
        var windowNorm = TensorPrimitives.Norm(window);
        var best = (Lag: 0, Correlation: double.MinValue);
        for (var lag = expected - maxLag; lag <= expected + maxLag; lag++)
        {
            var candidate = signal.Slice(start + lag, window.Length);
            var correlation = TensorPrimitives.Dot(window, candidate) / ((windowNorm * TensorPrimitives.Norm(candidate)) + 1e-12);
            if (correlation > best.Correlation)
            {
                best = (lag, correlation);
            }
        }

        return (best.Lag / (double)sampleRate, best.Correlation);
    }

    /// <summary>The root mean square of <paramref name="samples"/> between two times, in seconds.</summary>
    public static double Rms(float[] samples, int sampleRate, double fromSeconds, double toSeconds)
    {
        var span = samples.AsSpan((int)(fromSeconds * sampleRate), (int)((toSeconds - fromSeconds) * sampleRate));
        return TensorPrimitives.Norm(span) / Math.Sqrt(span.Length);
    }

    private static double Seconds(JsonElement packet, string name) => double.Parse(packet.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"pts_time:\s*([0-9.]+)")]
    private static partial Regex ShowinfoTime();
}
