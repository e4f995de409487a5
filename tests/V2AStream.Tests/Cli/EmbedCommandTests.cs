using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Testing;

namespace V2AStream.Tests.Cli;

public sealed class EmbedCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-embed-cli-").FullName;
    private readonly string _clip;

    public EmbedCommandTests()
    {
        // 3 s, 160x120, MPEG-TS: readable from a file and from a pipe.
        _clip = Path.Combine(_directory, "clip.ts");
        RunFfmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mpegts", _clip);
    }

    [Fact]
    public async Task Embed_File_WritesNpyOfFramesByDimAndJsonWithTimestamps()
    {
        var npy = Path.Combine(Directory.CreateDirectory(Path.Combine(_directory, "out")).FullName, "emb.npy");

        var (exitCode, stdout, stderr) = await InvokeAsync("embed", _clip, "--out", npy);

        Assert.True(exitCode == 0, stderr);
        var (shape, data) = ReadNpy(npy);
        Assert.InRange(shape.Rows, 11, 13);
        Assert.Equal(512, shape.Cols);
        Assert.Equal(1.0, Math.Sqrt(data.Take(512).Sum(v => (double)v * v)), 4);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "out", "emb.json")));
        Assert.Equal("builtin", json.RootElement.GetProperty("model_set").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("fps").GetDouble());
        Assert.Equal(Enumerable.Range(0, shape.Rows).Select(k => k / 4.0), json.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetDouble()));
        Assert.Equal(3.0, json.RootElement.GetProperty("probe").GetProperty("duration_seconds").GetDouble(), 1);
        Assert.Contains($"wrote {shape.Rows} x 512", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_Stdin_GivesTheSameEmbeddingsAsTheFile()
    {
        var fromFile = Path.Combine(_directory, "file.npy");
        var fromStdin = Path.Combine(_directory, "stdin.npy");
        Assert.Equal(0, (await InvokeAsync("embed", _clip, "--out", fromFile)).ExitCode);

        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "v2a.dll"), "embed", "-", "--out", fromStdin, "--json"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await using (var stdin = process.StandardInput.BaseStream)
        {
            await using var clip = File.OpenRead(_clip);
            await clip.CopyToAsync(stdin);
        }

        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(ReadNpy(fromFile).Data, ReadNpy(fromStdin).Data);
        using var summary = JsonDocument.Parse(await stdout);
        Assert.Equal("-", summary.RootElement.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("probe").ValueKind);
    }

    [Fact]
    public async Task Embed_NotAVideo_FailsWithOneErrorLineAndExitCode1()
    {
        var junk = Path.Combine(_directory, "junk.mp4");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());

        var (exitCode, _, stderr) = await InvokeAsync("embed", junk, "--out", Path.Combine(_directory, "x.npy"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_directory, "x.npy")));
    }

    [Fact]
    public async Task Embed_MissingFile_UsageErrorExitTwoAndNoOutput()
    {
        var absent = Path.Combine(_directory, "absent.mp4");

        var (exitCode, _, stderr) = await InvokeAsync("embed", absent, "--out", Path.Combine(_directory, "x.npy"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: '{absent}' does not exist.", stderr.TrimEnd());
        Assert.False(File.Exists(Path.Combine(_directory, "x.npy")));
    }

    [Fact]
    public async Task Embed_FpsOutOfRange_IsBadUsage()
    {
        var (exitCode, _, stderr) = await InvokeAsync("embed", _clip, "--fps", "60", "--out", Path.Combine(_directory, "x.npy"));

        Assert.Equal(2, exitCode);
        Assert.Contains("between 1 and 30", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_UnknownModelSet_ListsTheKnownOnes()
    {
        var (exitCode, _, stderr) = await InvokeAsync("embed", _clip, "--model-set", "nope", "--out", Path.Combine(_directory, "x.npy"));

        Assert.Equal(1, exitCode);
        Assert.Contains("builtin", stderr, StringComparison.Ordinal);
        Assert.Contains("mobilenet", stderr, StringComparison.Ordinal);
    }

    [SharedDataFact("models/mobilenetv2-12-int8-embedding.onnx")]
    public async Task Embed_MobilenetSet_Writes1280dEmbeddings()
    {
        var npy = Path.Combine(_directory, "mobilenet.npy");

        var (exitCode, _, stderr) = await InvokeAsync("embed", _clip, "--model-set", "mobilenet", "--fps", "2", "--out", npy);

        Assert.True(exitCode == 0, stderr);
        var (shape, _) = ReadNpy(npy);
        Assert.InRange(shape.Rows, 5, 7);
        Assert.Equal(1280, shape.Cols);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CliApp.InvokeAsync(args, stdout, stderr, CancellationToken.None);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static ((int Rows, int Cols) Shape, float[] Data) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }, bytes[..6]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header, StringComparison.Ordinal);
        var shape = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..header.IndexOf(')', StringComparison.Ordinal)].Split(',');
        var (rows, cols) = (int.Parse(shape[0]), int.Parse(shape[1]));
        var data = new float[rows * cols];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + (i * 4)));
        }

        Assert.Equal(10 + headerLength + (data.Length * 4), bytes.Length);
        return ((rows, cols), data);
    }

    private void RunFfmpeg(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed in {_directory}: {error}");
    }
}
