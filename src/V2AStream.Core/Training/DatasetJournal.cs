using System.Text;
using System.Text.Json;

namespace V2AStream.Core.Training;

/// <summary>
/// What <see cref="MapperDatasetBuilder"/> has finished in a dataset folder, so that a rerun (after Ctrl-C, a crash, or
/// with more videos) skips the videos already done: <c>dataset-journal.jsonl</c>, one JSON line of settings, then one
/// line per finished video (its segments with both embeddings, or why it was skipped), appended and flushed as each
/// video ends. A video is known by its full path, size and modification time, so a file that changed is done again; a
/// torn last line (the process died while writing it) is ignored. Settings that differ from the journal's are refused:
/// the rows of one dataset must come from one embedder, fps and segmentation. Not thread-safe; one builder per folder.
/// </summary>
public sealed class DatasetJournal
{
    public const string FileName = "dataset-journal.jsonl";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string _path;
    private readonly Dictionary<string, DatasetJournalEntry> _entries;

    private DatasetJournal(string path, Dictionary<string, DatasetJournalEntry> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>
    /// Opens (or starts) the journal in <paramref name="directory"/> for <paramref name="settings"/>; throws
    /// <see cref="TrainingException"/> (InvalidDataset) when the folder was built with other settings.
    /// </summary>
    public static async Task<DatasetJournal> OpenAsync(string directory, DatasetBuildSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var entries = new Dictionary<string, DatasetJournalEntry>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(settings, JsonOptions) + "\n", cancellationToken).ConfigureAwait(false);
            return new DatasetJournal(path, entries);
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        DatasetBuildSettings? written = null;
        try
        {
            written = lines.Length > 0 ? JsonSerializer.Deserialize<DatasetBuildSettings>(lines[0], JsonOptions) : null;
        }
        catch (JsonException)
        {
        }

        if (written != settings)
        {
            throw new TrainingException(
                TrainingErrorReason.InvalidDataset,
                $"{directory} was built with other settings ({lines.FirstOrDefault() ?? "none"}); this run has {JsonSerializer.Serialize(settings, JsonOptions)}. Use another --out, or delete {path} to start again.",
                path);
        }

        foreach (var line in lines.Skip(1))
        {
            try
            {
                if (JsonSerializer.Deserialize<DatasetJournalEntry>(line, JsonOptions) is { } entry)
                {
                    entries[entry.Key] = entry;
                }
            }
            catch (JsonException)
            {
                // A line torn by a crash: that video is done again.
            }
        }

        // A torn last line must not swallow the next entry.
        if (!text.EndsWith('\n'))
        {
            await File.AppendAllTextAsync(path, "\n", cancellationToken).ConfigureAwait(false);
        }

        return new DatasetJournal(path, entries);
    }

    /// <summary>The entry for <paramref name="key"/>, when that video (as it is now) is done.</summary>
    public DatasetJournalEntry? Find(string key) => _entries.GetValueOrDefault(key);

    /// <summary>Records a finished video: appended as one line and flushed to disk before this returns.</summary>
    public async Task AppendAsync(DatasetJournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, JsonOptions) + "\n");
        var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        _entries[entry.Key] = entry;
    }
}
