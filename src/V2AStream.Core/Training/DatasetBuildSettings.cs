namespace V2AStream.Core.Training;

/// <summary>
/// How <see cref="MapperDatasetBuilder"/> turns videos into rows; the first line of a dataset's journal, so that every
/// row of one dataset is made the same way. Validated by the builder. Immutable.
/// </summary>
public sealed record DatasetBuildSettings
{
    public const string ScenesSegmentation = "scenes";
    public const string WholeSegmentation = "whole";

    /// <summary>The model set as the command line named it (builtin, a name, or a folder).</summary>
    public required string ModelSet { get; init; }

    /// <summary>The set's frame embedder (its name), which makes clip.npy.</summary>
    public required string Embedder { get; init; }

    /// <summary>The set's audio embedder (its name), which makes clap.npy.</summary>
    public required string AudioEmbedder { get; init; }

    /// <summary>Frames sampled per second of video for the embeddings and the scene detector.</summary>
    public double Fps { get; init; } = 4;

    /// <summary>"scenes": one row per detected scene; "whole": one row per video.</summary>
    public string Segments { get; init; } = ScenesSegmentation;

    /// <summary>Segments shorter than this are dropped (V2A-SceneDetector: 2 s).</summary>
    public double MinSegmentSeconds { get; init; } = 2;

    /// <summary>The scene detector, "robust" or "paper" (scenes only).</summary>
    public string Detector { get; init; } = "robust";

    /// <summary>The detector's threshold in sigmas (the paper's tau, 5).</summary>
    public double Tau { get; init; } = 5;
}
