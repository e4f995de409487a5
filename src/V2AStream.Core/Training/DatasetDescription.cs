namespace V2AStream.Core.Training;

/// <summary>
/// The content of a mapper dataset's segments.json (snake_case JSON): the format's name and version, what made the
/// embeddings, one <see cref="DatasetSegment"/> per row of clip.npy and clap.npy, and the videos that gave no rows.
/// Readers ignore fields they do not know, so later versions of the dataset builder can add facts without breaking them.
/// </summary>
public sealed record DatasetDescription
{
    public const string FormatName = "v2astream-mapper-dataset";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The model set whose embedder made clip.npy (its name or folder), when known.</summary>
    public string? ModelSet { get; init; }

    /// <summary>Frames sampled per second of video for the mean frame embeddings, when known.</summary>
    public double? Fps { get; init; }

    public IReadOnlyList<DatasetSegment> Segments { get; init; } = [];

    public IReadOnlyList<DatasetSkip> Skipped { get; init; } = [];
}
