using System.Text.Json;
using V2AStream.Core.Media;
using V2AStream.Core.Training;
using V2AStream.Testing.Media;
using V2AStream.Testing.Models;
using V2AStream.Testing.Onnx;

namespace V2AStream.Tests.Cli;

public sealed class DatasetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-dataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Dataset_ThenTrainMapper_ThenGenerate_RunsEndToEnd()
    {
        string[] videos =
        [
            Clip("a.mp4", ("red", 440, 3), ("blue", 880, 3)),
            Clip("b.mp4", ("lime", 660, 4), ("yellow", 330, 3)),
            Clip("c.mp4", ("magenta", 550, 5)),
            Clip("silent.mp4", ("white", null, 4)),
            Path.Combine(_dir, "broken.mp4"),
        ];
        await File.WriteAllTextAsync(videos[4], "not a video\n");
        var set = TestKinds.WriteSet(_dir, "clap-set", extraParts: ClapContractModels.ManifestPart);
        ClapContractModels.WriteAudioTower(set);
        var data = Path.Combine(_dir, "data");

        var (code, output, error) = await CliRunner.RunAsync(["dataset", .. videos, "--model-set", set, "--out", data]);

        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal($"wrote 5 segments (512-d frame means, 512-d audio embeddings) from 3 of 5 videos to {data}", lines[0]);
        Assert.Equal($"skipped {videos[3]}: no audio track", lines[1]);
        Assert.StartsWith($"skipped {videos[4]}: unreadable: ", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        var dataset = await MapperDataset.LoadAsync(data, CancellationToken.None);
        Assert.Equal(
            [(videos[0], 0.0, 3.0, 0), (videos[0], 3.0, 6.0, 1), (videos[1], 0.0, 4.0, 0), (videos[1], 4.0, 7.0, 1), (videos[2], 0.0, 5.0, 0)],
            dataset.Description.Segments.Select(s => (s.Video, s.StartSeconds, s.EndSeconds, s.SceneIndex)));
        Assert.Equal((set, 4.0), (dataset.Description.ModelSet, dataset.Description.Fps));

        // Again: every video is in the journal, nothing is read again, the same dataset is written.
        (code, output, error) = await CliRunner.RunAsync(["dataset", .. videos, "--model-set", set, "--out", data, "--json"]);
        Assert.True(code == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(5, json.RootElement.GetProperty("resumed").GetInt32());
            Assert.Equal(5, json.RootElement.GetProperty("segments").GetInt32());
            Assert.Equal([5, 512], json.RootElement.GetProperty("clap_shape").EnumerateArray().Select(e => e.GetInt32()));
        }

        Assert.Equal(dataset.Fingerprint, (await MapperDataset.LoadAsync(data, CancellationToken.None)).Fingerprint);

        // The dataset trains the Table I mapper, and the mapper drives generation.
        var trained = Directory.CreateDirectory(Path.Combine(_dir, "trained")).FullName;
        (code, _, error) = await CliRunner.RunAsync("train", "mapper", "--data", data, "--out", Path.Combine(trained, "mapper.safetensors"), "--epochs", "3", "--val", "0.2");
        Assert.True(code == 0, error);
        await File.WriteAllTextAsync(Path.Combine(trained, "model-set.json"), """
            { "name": "trained", "embedder": { "kind": "builtin-pixel", "dim": 512 },
              "mapper": { "kind": "mlp", "file": "mapper.safetensors" }, "generator": { "kind": "builtin-procedural" } }
            """);
        var condition = Path.Combine(_dir, "scene.npy");
        CliRunner.WriteNpy(condition, [dataset.Clip.Row(0).ToArray()]);
        var wav = Path.Combine(_dir, "out.wav");
        (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", trained, "--condition", condition, "--seconds", "2.5", "--out", wav);
        Assert.True(code == 0, error);
        Assert.Equal(40000, WavReader.Read(wav).Frames);
    }

    [Fact]
    public async Task Dataset_WholeVideos_OneRowPerVideo()
    {
        var video = Clip("a.mp4", ("red", 440, 3), ("blue", 880, 3));
        var set = TestKinds.WriteSet(_dir, "clap-set", extraParts: ClapContractModels.ManifestPart);
        ClapContractModels.WriteAudioTower(set);

        var (code, _, error) = await CliRunner.RunAsync("dataset", video, "--model-set", set, "--out", Path.Combine(_dir, "data"), "--segments", "whole");

        Assert.True(code == 0, error);
        var dataset = await MapperDataset.LoadAsync(Path.Combine(_dir, "data"), CancellationToken.None);
        Assert.Equal([new DatasetSegment(video, 0, 6, 0)], dataset.Description.Segments);
    }

    [Fact]
    public async Task Dataset_SetWithoutAudioEmbedder_SaysHowToGetOne()
    {
        var video = Clip("a.mp4", ("red", 440, 3));

        var (code, _, error) = await CliRunner.RunAsync("dataset", video, "--model-set", "builtin", "--out", Path.Combine(_dir, "data"));

        Assert.Equal(1, code);
        Assert.Equal("error: model set 'builtin' has no audio_embedder: export CLAP's audio tower into it (models/export/export_clap.py audio --out DIR; models/README.md).", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(_dir, "data")));
    }

    [Theory]
    [InlineData("--min-segment", "two seconds", "error: --min-segment 'two seconds' is not a duration: use e.g. 2s, 1500ms or 2.")]
    [InlineData("--detector", "fancy", "error: unknown scene detector 'fancy': use one of robust, paper.")]
    [InlineData("--fps", "60", "error: invalid dataset settings: fps must be 1 to 30, got 60.")]
    public async Task Dataset_BadOption_IsAUsageError(string option, string value, string message)
    {
        var set = TestKinds.WriteSet(_dir, "clap-set", extraParts: ClapContractModels.ManifestPart);
        ClapContractModels.WriteAudioTower(set);

        var (code, _, error) = await CliRunner.RunAsync("dataset", "x.mp4", "--model-set", set, "--out", Path.Combine(_dir, "data"), option, value);

        Assert.Equal(2, code);
        Assert.Equal(message, error.Trim());
    }

    private string Clip(string name, params (string Colour, int? Frequency, double Seconds)[] scenes) => ToneSceneClip.Make(Path.Combine(_dir, name), scenes);
}
