using System.Diagnostics;
using System.Globalization;
using V2AStream.Core.Relay;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Relay;

/// <summary>The relay's TS clock on real MPEG-TS from ffmpeg (H.264 with B-frames, 25 fps, a key frame each second).</summary>
public sealed class ContinuousTsStreamTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-ts-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Append_SameBytesInAnyChunking_SamePacketsAndFrames()
    {
        var ts = await File.ReadAllBytesAsync(await MakeTsAsync("a.ts", 2));
        var whole = new ContinuousTsStream().Append(ts);
        var pieces = new ContinuousTsStream();
        var data = new List<byte>();
        var frames = new List<VideoFrameStart>();
        var random = new Random(5);
        for (var offset = 0; offset < ts.Length;)
        {
            var length = Math.Min(random.Next(1, 1000), ts.Length - offset);
            var chunk = pieces.Append(ts.AsSpan(offset, length));
            frames.AddRange(chunk.Frames.Select(f => f with { Offset = f.Offset + data.Count }));
            data.AddRange(chunk.Data.ToArray());
            offset += length;
        }

        Assert.Equal(ts, whole.Data.ToArray());
        Assert.Equal(ts, data.ToArray());
        Assert.Equal(whole.Frames, frames);
        Assert.Equal(50, frames.Count);
        Assert.Equal(2, frames.Count(f => f.Keyframe));
        Assert.True(frames[0].Keyframe);
        Assert.Equal(frames.Min(f => f.Pts), pieces.FirstPts);
    }

    [Fact]
    public async Task Append_SecondConnection_ContinuesOneFrameAfterTheFirstsLastFrame()
    {
        var path = await MakeTsAsync("b.ts", 2);
        var ts = await File.ReadAllBytesAsync(path);
        var stream = new ContinuousTsStream();
        var first = stream.Append(ts);
        var firstEnd = stream.EndPts!.Value;
        stream.BeginConnection();
        var second = stream.Append(ts);
        var joined = Path.Combine(_directory, "joined.ts");
        await File.WriteAllBytesAsync(joined, [.. first.Data.ToArray(), .. second.Data.ToArray()]);

        // The second connection's frames follow the first's 2 s of frames right after its last, PCR and all.
        var start = stream.FirstPts!.Value;
        Assert.Equal(start + 180_000, firstEnd);
        Assert.Equal(first.Frames.Select(f => f.Pts + 180_000), second.Frames.Select(f => f.Pts));
        var times = await PacketTimesAsync(joined);
        Assert.Equal(100, times.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (start / 90_000.0) + (i * 0.04)), times.Order(), new ToleranceComparer());
        Assert.False((await ProbeWarningsAsync(joined)).Contains("discontinuity", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ProgramTables_PatAndPmt_EnoughToReadFromAKeyFrameMidStream()
    {
        var ts = await File.ReadAllBytesAsync(await MakeTsAsync("c.ts", 2));
        var stream = new ContinuousTsStream();
        var chunk = stream.Append(ts);
        var second = chunk.Frames.Where(f => f.Keyframe).ElementAt(1);
        var joinedMidStream = Path.Combine(_directory, "mid.ts");
        await File.WriteAllBytesAsync(joinedMidStream, [.. stream.ProgramTables.ToArray(), .. chunk.Data[second.Offset..].ToArray()]);

        Assert.Equal(2 * 188, stream.ProgramTables.Length);
        Assert.Equal(25, (await PacketTimesAsync(joinedMidStream)).Count);
    }

    private async Task<string> MakeTsAsync(string name, int seconds)
    {
        var path = Path.Combine(_directory, name);
        await ProgramRun.OutputAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size=160x120:rate=25:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "2", "-pix_fmt", "yuv420p", "-f", "mpegts", "-y", path);
        return path;
    }

    private static async Task<List<double>> PacketTimesAsync(string path) =>
        (await ProgramRun.OutputAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", path))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l.Trim().TrimEnd(','), CultureInfo.InvariantCulture)).ToList();

    private static async Task<string> ProbeWarningsAsync(string path)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "warning", "-i", path, "-f", "null", "-" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return errors;
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-6;

        public int GetHashCode(double value) => 0;
    }
}
