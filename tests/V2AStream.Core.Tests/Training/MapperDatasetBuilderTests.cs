using V2AStream.Core.Embedding;
using V2AStream.Core.Models;
using V2AStream.Core.Training;
using V2AStream.Testing.Media;
using V2AStream.Testing.Models;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Training;

public sealed class MapperDatasetBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-dataset-builder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Build_TwoScenesWithTheirOwnTones_GivesEachSceneItsFramesAndItsSound()
    {
        // Red with a 440 Hz tone for 3 s, then blue with 880 Hz for 3 s (lossless FLAC, so the tones arrive intact).
        var clip = MakeClip("tones.mkv", ("red", 440, 3), ("blue", 880, 3));
        await using var set = await LoadSetAsync();

        var result = await Builder(set).BuildAsync([clip], Path.Combine(_dir, "data"), null, CancellationToken.None);

        var dataset = Assert.IsType<MapperDataset>(result.Dataset);
        Assert.Equal(
            [new DatasetSegment(clip, 0, 3, 0), new DatasetSegment(clip, 3, 6, 1)],
            dataset.Description.Segments);
        Assert.Equal((2, 512, 512), (dataset.Count, dataset.Clip.Columns, dataset.Clap.Columns));
        Assert.Empty(result.Skipped);

        // The contract tower gives (energy, roughness, bias): roughness / energy of a sine at lavfi's amplitude 1/8 is
        // (4·f/48000·(1/8)·(2/π)·π/2) / (1/128), 0.5866 at 440 Hz and twice that at 880 Hz; repeat-padding 3 s to 10 s
        // scales both by 0.9, leaving the ratio.
        Assert.Equal(0.5866, dataset.Clap.Row(0)[1] / dataset.Clap.Row(0)[0], 2);
        Assert.Equal(1.1729, dataset.Clap.Row(1)[1] / dataset.Clap.Row(1)[0], 2);
        Assert.Equal(1.0, Norm(dataset.Clap.Row(0)), 5);

        // The frame means are the builtin embedder's pictures of red and of blue: different, each nearly constant.
        var means = await MapperDataset.LoadAsync(Path.Combine(_dir, "data"), CancellationToken.None);
        Assert.Equal(dataset.Fingerprint, means.Fingerprint);
        Assert.NotEqual(means.Clip.Row(0).ToArray(), means.Clip.Row(1).ToArray());
    }

    [Fact]
    public async Task Build_AgainWithMoreVideos_SkipsTheDoneOnesAndListsTheUnusable()
    {
        var first = MakeClip("first.mp4", ("red", 440, 3), ("blue", 880, 3));
        var silent = MakeClip("silent.mp4", ("green", null, 4));
        var shortScenes = MakeClip("short.mp4", ("red", 440, 1.5), ("blue", 880, 1.5));
        var junk = Path.Combine(_dir, "junk.mp4");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
        var output = Path.Combine(_dir, "data");
        await using var set = await LoadSetAsync();

        var once = await Builder(set).BuildAsync([first], output, null, CancellationToken.None);
        var twice = await Builder(set).BuildAsync([first, silent, shortScenes, junk], output, null, CancellationToken.None);

        Assert.Equal((1, 0), (once.Videos, once.Resumed));
        Assert.Equal((4, 1), (twice.Videos, twice.Resumed));
        Assert.Equal(once.Dataset!.Fingerprint, twice.Dataset!.Fingerprint);
        Assert.Equal([silent, shortScenes, junk], twice.Skipped.Select(s => s.Video));
        Assert.Equal("no audio track", twice.Skipped[0].Reason);
        Assert.Equal("no segment of 2 s or more", twice.Skipped[1].Reason);
        Assert.StartsWith("unreadable: ", twice.Skipped[2].Reason, StringComparison.Ordinal);
        Assert.Equal(twice.Skipped, (await MapperDataset.LoadAsync(output, CancellationToken.None)).Description.Skipped);
    }

    [Fact]
    public async Task Build_OtherSettingsInTheSameFolder_IsRefused()
    {
        var clip = MakeClip("a.mp4", ("red", 440, 3));
        var output = Path.Combine(_dir, "data");
        await using var set = await LoadSetAsync();
        await Builder(set).BuildAsync([clip], output, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<TrainingException>(() => Builder(set, tau: 3).BuildAsync([clip], output, null, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.InvalidDataset, error.Reason);
        Assert.Contains("was built with other settings", error.Message, StringComparison.Ordinal);
    }

    private static MapperDatasetBuilder Builder(LoadedModelSet set, double tau = 5) =>
        new(set.Embedder, set.Get<IAudioEmbedder>(IAudioEmbedder.Slot), new DatasetBuildSettings
        {
            ModelSet = set.Name,
            Embedder = set.Embedder.Name,
            AudioEmbedder = set.Get<IAudioEmbedder>(IAudioEmbedder.Slot).Name,
            Tau = tau,
        });

    private static double Norm(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var v in row)
        {
            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    private async Task<LoadedModelSet> LoadSetAsync()
    {
        var folder = TestKinds.WriteSet(_dir, "clap", extraParts: ClapContractModels.ManifestPart);
        ClapContractModels.WriteAudioTower(folder);
        return await new ModelSetLoader(new ModelSetCatalog([], [])).LoadAsync(folder, [ModelPartSlot.Embedder, IAudioEmbedder.Slot], CancellationToken.None);
    }

    private string MakeClip(string name, params (string Colour, int? Frequency, double Seconds)[] scenes) => ToneSceneClip.Make(Path.Combine(_dir, name), scenes);
}
