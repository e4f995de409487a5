using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Core.Media;
using V2AStream.Testing.Training;

namespace V2AStream.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TrainMapper_ThenEvalAndGenerate_TheFileDrivesTheEngine()
    {
        var data = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "data"), pairs: 240, videos: 12, seed: 1);
        var set = Path.Combine(_dir, "set");
        Directory.CreateDirectory(set);
        var mapper = Path.Combine(set, "mapper.safetensors");

        var (code, output, error) = await CliRunner.RunAsync("train", "mapper", "--data", data, "--out", mapper, "--epochs", "3", "--lr", "1e-3", "--seed", "5");

        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, error);
        var summary = Assert.Single(output.Trim().Split('\n'));
        Assert.StartsWith($"wrote {mapper}: best epoch ", summary, StringComparison.Ordinal);
        Assert.Contains("20 held-out pairs (split by video); 220 training pairs", summary, StringComparison.Ordinal);

        (code, output, error) = await CliRunner.RunAsync("eval", "mapper", "--data", data, "--mapper", mapper);
        Assert.True(code == 0, error);
        Assert.Contains("(20 of 240 pairs: the split its training held out)", output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(set, "model-set.json"), """
            { "name": "trained", "embedder": { "kind": "builtin-pixel", "dim": 512 },
              "mapper": { "kind": "mlp", "file": "mapper.safetensors" }, "generator": { "kind": "builtin-procedural" } }
            """);
        var condition = Path.Combine(_dir, "condition.npy");
        CliRunner.WriteNpy(condition, [CliRunner.Vector(3, 512)]);
        var wav = Path.Combine(_dir, "out.wav");
        (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", condition, "--seconds", "2.5", "--out", wav);
        Assert.True(code == 0, error);
        Assert.Equal(40000, WavReader.Read(wav).Frames);
    }

    [Fact]
    public async Task TrainMapper_Json_PrintsEveryEpochAndTheOptions()
    {
        var data = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "data"), pairs: 60, videos: 2, seed: 1);

        var (code, output, error) = await CliRunner.RunAsync("train", "mapper", "--data", data, "--out", Path.Combine(_dir, "m.safetensors"), "--epochs", "2", "--val", "0.25", "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var result = json.RootElement.GetProperty("result");
        Assert.Equal(2, result.GetProperty("epochs").GetArrayLength());
        Assert.Equal(15, result.GetProperty("validation_pairs").GetInt32());
        Assert.Equal(15, result.GetProperty("best_validation").GetProperty("pairs").GetInt32());
        Assert.Equal(0.25, json.RootElement.GetProperty("options").GetProperty("validation_fraction").GetDouble());
    }

    [Fact]
    public async Task TrainMapper_Cancelled_ExitsWithOneLineAndNoFile()
    {
        var data = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "data"), pairs: 40, videos: 2, seed: 1);
        var output = Path.Combine(_dir, "m.safetensors");
        using var cancellation = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        cancellation.Cancel();

        var code = await CliApp.InvokeAsync(["train", "mapper", "--data", data, "--out", output], stdout, stderr, cancellation.Token);

        Assert.True(code == 130, $"exit {code}: {stderr}");
        Assert.Equal("interrupted: no epoch finished, nothing was written.", stderr.ToString().Trim());
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--epochs", "0", "epochs must be between 1 and 100000")]
    [InlineData("--lr", "-1", "learning rate must be above 0")]
    [InlineData("--val", "1", "validation fraction must be at least 0 and below 1")]
    public async Task TrainMapper_OptionOutOfRange_ExitsTwoWithOneLine(string option, string value, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync("train", "mapper", "--data", _dir, "--out", Path.Combine(_dir, "m.safetensors"), option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task TrainMapper_MissingDataset_ExitsOneNamingTheFileAndWritesNothing()
    {
        var output = Path.Combine(_dir, "m.safetensors");

        var (code, _, error) = await CliRunner.RunAsync("train", "mapper", "--data", _dir, "--out", output);

        Assert.Equal(1, code);
        Assert.Equal($"error: {Path.Combine(_dir, "clip.npy")} does not exist: a dataset folder holds clip.npy, clap.npy and segments.json.", error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task EvalMapper_Json_GivesTheScores()
    {
        var data = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "train"), pairs: 50, videos: 2, seed: 1);
        var other = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "other"), pairs: 30, videos: 2, seed: 2);
        var mapper = Path.Combine(_dir, "m.safetensors");
        Assert.Equal(0, (await CliRunner.RunAsync("train", "mapper", "--data", data, "--out", mapper, "--epochs", "1")).ExitCode);

        var (code, output, error) = await CliRunner.RunAsync("eval", "mapper", "--data", other, "--mapper", mapper, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("whole_dataset", json.RootElement.GetProperty("held_out").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("pairs").GetInt32());
        var top1 = json.RootElement.GetProperty("top1_accuracy").GetDouble();
        Assert.InRange(top1, 0, 1);
        Assert.Equal(top1 * 30, Math.Round(top1 * 30), 9);
    }

    [Fact]
    public async Task EvalMapper_NotAMapperFile_ExitsOne()
    {
        var data = await SyntheticMapperDataset.WriteAsync(Path.Combine(_dir, "data"), pairs: 5, videos: 1, seed: 1);
        var junk = Path.Combine(_dir, "junk.safetensors");
        await File.WriteAllTextAsync(junk, "not a mapper");

        var (code, _, error) = await CliRunner.RunAsync("eval", "mapper", "--data", data, "--mapper", junk);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {junk} is not a safetensors file", error, StringComparison.Ordinal);
    }
}
