using V2AStream.Core.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class DatasetJournalTests : IDisposable
{
    private static readonly DatasetBuildSettings Settings = new() { ModelSet = "set", Embedder = "pixels", AudioEmbedder = "clap_audio" };

    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-journal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Open_AfterACrashTornLine_KeepsTheWholeEntriesAndAppendsOnANewLine()
    {
        var journal = await DatasetJournal.OpenAsync(_dir, Settings, CancellationToken.None);
        await journal.AppendAsync(Entry("a"), CancellationToken.None);
        await journal.AppendAsync(Entry("b"), CancellationToken.None);
        var path = Path.Combine(_dir, DatasetJournal.FileName);
        await File.AppendAllTextAsync(path, """{"key":"c","video":"c","segm""");

        journal = await DatasetJournal.OpenAsync(_dir, Settings, CancellationToken.None);
        await journal.AppendAsync(Entry("d"), CancellationToken.None);
        var reopened = await DatasetJournal.OpenAsync(_dir, Settings, CancellationToken.None);

        Assert.Equal([1.5f, 2.5f], reopened.Find("a")!.Segments[0].Clip);
        Assert.NotNull(reopened.Find("b"));
        Assert.Null(reopened.Find("c"));
        Assert.Equal("no audio track", reopened.Find("d")!.Skipped);
    }

    private static DatasetJournalEntry Entry(string key) => key == "d"
        ? new(key, key, [], "no audio track")
        : new(key, key, [new DatasetJournalSegment(0, 2.5, 0, [1.5f, 2.5f], [0.6f, 0.8f])], null);
}
