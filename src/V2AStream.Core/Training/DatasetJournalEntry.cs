namespace V2AStream.Core.Training;

/// <summary>One finished video in a <see cref="DatasetJournal"/>: its kept segments, or why it gave none.</summary>
/// <param name="Key">The video as it was read: full path, size in bytes and modification time (see <see cref="KeyOf"/>).</param>
/// <param name="Video">The video as the command line named it (segments.json's "video").</param>
/// <param name="Segments">Its rows, in media-time order.</param>
/// <param name="Skipped">Why it gave no rows, or null.</param>
public sealed record DatasetJournalEntry(string Key, string Video, IReadOnlyList<DatasetJournalSegment> Segments, string? Skipped)
{
    /// <summary>"full path|size|modified ticks (UTC)"; a file that does not exist is keyed by its path alone.</summary>
    public static string KeyOf(string fullPath)
    {
        var file = new FileInfo(fullPath);
        return file.Exists ? FormattableString.Invariant($"{fullPath}|{file.Length}|{file.LastWriteTimeUtc.Ticks}") : fullPath;
    }
}
