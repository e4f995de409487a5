using V2AStream.Core.Embedding;
using V2AStream.Core.Training;
using V2AStream.Testing.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class MapperDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-dataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteThenLoad_GivesTheSameArraysSegmentsAndFingerprint()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 30, videos: 4, seed: 1);

        await dataset.WriteAsync(_dir, CancellationToken.None);
        var loaded = await MapperDataset.LoadAsync(_dir, CancellationToken.None);

        Assert.Equal(dataset.Clip.Data, loaded.Clip.Data);
        Assert.Equal(dataset.Clap.Data, loaded.Clap.Data);
        Assert.Equal(dataset.Description.Segments, loaded.Description.Segments);
        Assert.Equal(("synthetic", 4.0), (loaded.Description.ModelSet, loaded.Description.Fps!.Value));
        Assert.Equal(dataset.Fingerprint, loaded.Fingerprint);
        Assert.Equal(16, loaded.Fingerprint.Length);
        Assert.Equal(new[] { "clap.npy", "clip.npy", "segments.json" }, Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Load_HandWrittenSegmentsJson_ReadsTheDocumentedFields()
    {
        await new NpyArray(2, 3, [1, 2, 3, 4, 5, 6]).WriteFileAsync(Path.Combine(_dir, "clip.npy"), CancellationToken.None);
        await new NpyArray(2, 2, [1, 0, 0, 1]).WriteFileAsync(Path.Combine(_dir, "clap.npy"), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_dir, "segments.json"), """
            {
              "format": "v2astream-mapper-dataset",
              "version": 1,
              "model_set": "clip-audioldm",
              "fps": 4,
              "added_by_a_later_version": true,
              "segments": [
                { "video": "a.mp4", "start_seconds": 0, "end_seconds": 3.25, "scene_index": 0 },
                { "video": "a.mp4", "start_seconds": 3.25, "end_seconds": 9.5, "scene_index": 1 }
              ],
              "skipped": [ { "video": "b.mp4", "reason": "no audio track" } ]
            }
            """);

        var dataset = await MapperDataset.LoadAsync(_dir, CancellationToken.None);

        Assert.Equal(2, dataset.Count);
        Assert.Equal(new DatasetSegment("a.mp4", 3.25, 9.5, 1), dataset.Description.Segments[1]);
        Assert.Equal(new DatasetSkip("b.mp4", "no audio track"), Assert.Single(dataset.Description.Skipped));
        Assert.Equal("clip-audioldm", dataset.Description.ModelSet);
    }

    [Fact]
    public async Task Load_RowCountsDisagree_SaysSoNamingTheCounts()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 5, videos: 1, seed: 1);
        await dataset.WriteAsync(_dir, CancellationToken.None);
        await new NpyArray(4, 512, new float[4 * 512]).WriteFileAsync(Path.Combine(_dir, "clap.npy"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<TrainingException>(() => MapperDataset.LoadAsync(_dir, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.InvalidDataset, ex.Reason);
        Assert.Contains("5 rows in clip.npy, 4 in clap.npy and 5 segments", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clip.npy")]
    [InlineData("clap.npy")]
    [InlineData("segments.json")]
    public async Task Load_MissingFile_NamesIt(string file)
    {
        await SyntheticMapperDataset.Create(pairs: 3, videos: 1, seed: 1).WriteAsync(_dir, CancellationToken.None);
        File.Delete(Path.Combine(_dir, file));

        var ex = await Assert.ThrowsAsync<TrainingException>(() => MapperDataset.LoadAsync(_dir, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.MissingDataset, ex.Reason);
        Assert.Equal(Path.Combine(_dir, file), ex.File);
    }

    [Fact]
    public async Task Load_NonFiniteValue_NamesTheRow()
    {
        var dataset = SyntheticMapperDataset.Create(pairs: 4, videos: 1, seed: 1);
        dataset.Clip.Data[(2 * 512) + 7] = float.NaN;
        await dataset.WriteAsync(_dir, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<TrainingException>(() => MapperDataset.LoadAsync(_dir, CancellationToken.None));

        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("clip.npy", ex.File, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format": "something-else", "segments": []}""", "not a v2astream-mapper-dataset file")]
    [InlineData("""{"format": "v2astream-mapper-dataset", "version": 2, "segments": []}""", "version 2")]
    [InlineData("""{"format": "v2astream-mapper-dataset", "segments": [{"video": "a.mp4", "start_seconds": 2, "end_seconds": 1, "scene_index": 0}]}""", "segment 0")]
    [InlineData("""{"format": """, "not valid JSON")]
    public async Task Load_BadSegmentsJson_SaysWhat(string json, string expected)
    {
        await new NpyArray(1, 2, [1, 2]).WriteFileAsync(Path.Combine(_dir, "clip.npy"), CancellationToken.None);
        await new NpyArray(1, 2, [1, 0]).WriteFileAsync(Path.Combine(_dir, "clap.npy"), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_dir, "segments.json"), json);

        var ex = await Assert.ThrowsAsync<TrainingException>(() => MapperDataset.LoadAsync(_dir, CancellationToken.None));

        Assert.Equal(TrainingErrorReason.InvalidDataset, ex.Reason);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
