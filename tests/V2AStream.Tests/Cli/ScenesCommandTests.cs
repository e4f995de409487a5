using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Core.Embedding;

namespace V2AStream.Tests.Cli;

public sealed class ScenesCommandTests : IDisposable
{
    private const int Dimension = 32;
    private readonly string _folder = Directory.CreateTempSubdirectory("v2a-scenes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Scenes_NpyWithTwoCutsJson_PrintsCutsAndScenesInTheDocumentedShape()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);

        var (exitCode, output, error) = await RunAsync("scenes", path, "--json");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(["fps", "frames", "cuts", "scenes"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4.0, root.GetProperty("fps").GetDouble());
        Assert.Equal(60, root.GetProperty("frames").GetInt32());
        var cuts = root.GetProperty("cuts").EnumerateArray().ToArray();
        Assert.Equal([20, 41], cuts.Select(c => c.GetProperty("frame").GetInt32()));
        Assert.Equal([5.0, 10.25], cuts.Select(c => c.GetProperty("time_s").GetDouble()));
        Assert.All(cuts, c => Assert.Equal(["frame", "time_s", "score"], c.EnumerateObject().Select(p => p.Name)));
        var scenes = root.GetProperty("scenes").EnumerateArray()
            .Select(s => (s.GetProperty("start_frame").GetInt32(), s.GetProperty("end_frame").GetInt32(), s.GetProperty("start_s").GetDouble(), s.GetProperty("end_s").GetDouble()));
        Assert.Equal([(0, 19, 0.0, 5.0), (20, 40, 5.0, 10.25), (41, 59, 10.25, 15.0)], scenes);
    }

    [Fact]
    public async Task Scenes_ScoresCsv_OneRowPerBoundaryWithScoreFloorAndThreshold()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);
        var scores = Path.Combine(_folder, "scores.csv");

        var (exitCode, _, error) = await RunAsync("scenes", path, "--scores", scores);

        Assert.True(exitCode == 0, error);
        var lines = await File.ReadAllLinesAsync(scores);
        Assert.Equal("frame,time_s,score,threshold,floor,change,min_change,cut", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(Enumerable.Range(1, 59).Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(["20", "41"], rows.Where(r => r[7] == "1").Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("0.35", r[4]));
        Assert.All(rows.Where(r => r[7] == "1"), r => Assert.True(double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture) > double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("5", rows[19][1]);
    }

    [Fact]
    public async Task Scenes_ScoresJsonLinesWithPaperDetector_NullFloor()
    {
        var path = await WriteShotsAsync(frames: 64, cuts: [40]);
        var scores = Path.Combine(_folder, "scores.jsonl");

        var (exitCode, _, error) = await RunAsync("scenes", path, "--detector", "paper", "--scores", scores);

        Assert.True(exitCode == 0, error);
        var rows = (await File.ReadAllLinesAsync(scores)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(63, rows.Length);
        Assert.All(rows, r => Assert.Equal(["frame", "time_s", "score", "threshold", "floor", "change", "min_change", "cut"], r.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("floor").ValueKind));
        Assert.Contains(rows, r => r.GetProperty("frame").GetInt32() == 40 && r.GetProperty("cut").GetBoolean());
    }

    [Fact]
    public async Task Scenes_NpyWithEmbedsSidecar_TakesItsFps()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);
        await File.WriteAllTextAsync(Path.ChangeExtension(path, ".json"), """{"source": "in.mp4", "fps": 10, "frames": 60, "timestamps": []}""");

        var (exitCode, output, error) = await RunAsync("scenes", path, "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(10.0, document.RootElement.GetProperty("fps").GetDouble());
        Assert.Equal([2.0, 4.1], document.RootElement.GetProperty("cuts").EnumerateArray().Select(c => c.GetProperty("time_s").GetDouble()));
        Assert.Equal(6.0, document.RootElement.GetProperty("scenes").EnumerateArray().Last().GetProperty("end_s").GetDouble());
    }

    [Fact]
    public async Task Scenes_FpsContradictingTheSidecar_UsageErrorSayingWhatItRecords()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);
        var sidecar = Path.ChangeExtension(path, ".json");
        await File.WriteAllTextAsync(sidecar, """{"fps": 10, "frames": 60}""");

        var (exitCode, output, error) = await RunAsync("scenes", path, "--fps", "4");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal($"error: {path} was sampled at 10 fps ({sidecar} says so), not 4: leave out --fps, or give --fps 10.", error.TrimEnd());
    }

    [Fact]
    public async Task Scenes_SidecarOfAnotherArray_FailsNamingIt()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);
        var sidecar = Path.ChangeExtension(path, ".json");
        await File.WriteAllTextAsync(sidecar, """{"fps": 10, "frames": 12}""");

        var (exitCode, _, error) = await RunAsync("scenes", path);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{sidecar} describes 12 frames but the .npy holds 60 rows", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_PaperDetectorAndFps_UsesThemForFrameTimes()
    {
        var path = await WriteShotsAsync(frames: 64, cuts: [40]);

        var (exitCode, output, _) = await RunAsync("scenes", path, "--detector", "paper", "--fps", "8", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var cut = Assert.Single(document.RootElement.GetProperty("cuts").EnumerateArray());
        Assert.Equal(40, cut.GetProperty("frame").GetInt32());
        Assert.Equal(5.0, cut.GetProperty("time_s").GetDouble());
        Assert.Equal(8.0, document.RootElement.GetProperty("fps").GetDouble());
    }

    [Fact]
    public async Task Scenes_WithoutJson_PrintsOneLinePerScene()
    {
        var path = await WriteShotsAsync(frames: 60, cuts: [20, 41]);

        var (exitCode, output, _) = await RunAsync("scenes", path);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("3 scenes in 60 frames at 4 fps (robust detector)", output, StringComparison.Ordinal);
        Assert.Contains("20-40", output, StringComparison.Ordinal);
        Assert.Contains("5.000-10.250", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_UnknownDetector_ExitsTwo()
    {
        var path = await WriteShotsAsync(frames: 10, cuts: []);

        var (exitCode, _, error) = await RunAsync("scenes", path, "--detector", "adaptive");

        Assert.Equal(2, exitCode);
        Assert.Contains("adaptive", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_ZeroFps_ExitsTwoNamingTheOption()
    {
        var path = await WriteShotsAsync(frames: 10, cuts: []);

        var (exitCode, _, error) = await RunAsync("scenes", path, "--fps", "0");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: invalid scene detector options: frames per second", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_MissingFile_UsageErrorExitTwoWithOneLine()
    {
        var (exitCode, output, error) = await RunAsync("scenes", Path.Combine(_folder, "absent.npy"));

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Scenes_Float64Npy_ExitsOneSayingHowToConvert()
    {
        var path = Path.Combine(_folder, "f8.npy");
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }".PadRight(117) + "\n";
        await File.WriteAllBytesAsync(path, [0x93, .. "NUMPY"u8, 1, 0, 118, 0, .. System.Text.Encoding.Latin1.GetBytes(header), .. new byte[8]]);

        var (exitCode, _, error) = await RunAsync("scenes", path);

        Assert.Equal(1, exitCode);
        Assert.Contains("astype(numpy.float32)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_VideoOfTwoScenes_EmbedsItsFramesAndFindsTheCut()
    {
        var clip = Path.Combine(_folder, "two-scenes.ts");
        RunFfmpeg(
            "-f", "lavfi", "-t", "4", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-t", "4", "-i", "smptebars=size=160x120:rate=25",
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p[v]", "-map", "[v]",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", clip);

        var (exitCode, output, error) = await RunAsync("scenes", clip, "--model-set", "builtin", "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.InRange(document.RootElement.GetProperty("frames").GetInt32(), 31, 33);
        var cut = Assert.Single(document.RootElement.GetProperty("cuts").EnumerateArray());
        Assert.InRange(cut.GetProperty("time_s").GetDouble(), 3.75, 4.25);
    }

    [Fact]
    public async Task Scenes_MissingVideo_UsageErrorExitTwoWithOneLine()
    {
        var absent = Path.Combine(_folder, "absent.mp4");

        var (exitCode, _, error) = await RunAsync("scenes", absent);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: '{absent}' does not exist.", error.TrimEnd());
    }

    [Fact]
    public async Task Scenes_UnsupportedUrl_ExitsTwo()
    {
        var (exitCode, _, error) = await RunAsync("scenes", "ftp://example.com/clip.mp4");

        Assert.Equal(2, exitCode);
        Assert.Contains("not a supported URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_VideoWithFpsAboveThirty_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, error) = await RunAsync("scenes", Path.Combine(_folder, "clip.mp4"), "--fps", "50");

        Assert.Equal(2, exitCode);
        Assert.Contains("--fps", error, StringComparison.Ordinal);
    }

    private static void RunFfmpeg(params string[] arguments)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-nostdin", "-y", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {errors}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.InvokeAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private async Task<string> WriteShotsAsync(int frames, int[] cuts)
    {
        var random = new Random(frames);
        var data = new float[frames * Dimension];
        var shot = new float[Dimension];
        for (var t = 0; t < frames; t++)
        {
            if (t == 0 || cuts.Contains(t))
            {
                for (var d = 0; d < Dimension; d++)
                {
                    shot[d] = (float)((random.NextDouble() * 2) - 1);
                }
            }

            // A common component as raw image embeddings have, small enough that shots stay apart in absolute terms
            // (the robust detector ignores changes under 0.1 of the mean squared norm: a still picture's codec flicker).
            for (var d = 0; d < Dimension; d++)
            {
                data[(t * Dimension) + d] = 1 + shot[d] + (float)(0.02 * (random.NextDouble() - 0.5));
            }
        }

        var path = Path.Combine(_folder, $"emb-{frames}-{string.Join('-', cuts)}.npy");
        await new NpyArray(frames, Dimension, data).WriteFileAsync(path, CancellationToken.None);
        return path;
    }
}
