using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using V2AStream.Core.Embedding;
using V2AStream.Core.Files;

namespace V2AStream.Core.Training;

/// <summary>
/// A mapper training dataset: a folder of three files whose row i describes one segment of one video.
/// <list type="bullet">
/// <item><c>clip.npy</c>: float32 [N, D], the segment's mean frame embedding, as the engine conditions a scene: the
/// model set's embedder at its fps, averaged, not normalized.</item>
/// <item><c>clap.npy</c>: float32 [N, 512], the CLAP audio embedding of the segment's audio, L2-normalized (the space
/// AudioLDM is conditioned in); training normalizes rows again, so raw CLAP outputs train the same.</item>
/// <item><c>segments.json</c>: a <see cref="DatasetDescription"/>, one segment per row.</item>
/// </list>
/// This type owns the format: the dataset builder writes it with <see cref="WriteAsync"/>, training and evaluation
/// read it with <see cref="LoadAsync"/>.
/// </summary>
public sealed class MapperDataset
{
    public const string ClipFile = "clip.npy";
    public const string ClapFile = "clap.npy";
    public const string SegmentsFile = "segments.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public MapperDataset(NpyArray clip, NpyArray clap, DatasetDescription description, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(clap);
        ArgumentNullException.ThrowIfNull(description);
        if (clip.Rows != clap.Rows || clip.Rows != description.Segments.Count)
        {
            throw new TrainingException(
                TrainingErrorReason.InvalidDataset,
                $"{directory ?? "the dataset"} has {clip.Rows} rows in {ClipFile}, {clap.Rows} in {ClapFile} and {description.Segments.Count} segments in {SegmentsFile}; they must agree: rebuild it.",
                directory);
        }

        Clip = clip;
        Clap = clap;
        Description = description;
        Directory = directory;
        Fingerprint = ComputeFingerprint(clip, clap);
    }

    /// <summary>The folder it was read from, when it was read from one.</summary>
    public string? Directory { get; }

    /// <summary>Mean frame embeddings [N, D].</summary>
    public NpyArray Clip { get; }

    /// <summary>CLAP audio embeddings [N, 512].</summary>
    public NpyArray Clap { get; }

    public DatasetDescription Description { get; }

    public int Count => Clip.Rows;

    /// <summary>16 hex digits of the SHA-256 of both arrays' values: tells whether a mapper was trained on this data.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads and checks a dataset folder.</summary>
    public static async Task<MapperDataset> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new TrainingException(TrainingErrorReason.MissingDataset, $"{full} does not exist: give a dataset folder (clip.npy, clap.npy, segments.json).", full);
        }

        var clip = await ReadArrayAsync(Path.Combine(full, ClipFile), cancellationToken).ConfigureAwait(false);
        var clap = await ReadArrayAsync(Path.Combine(full, ClapFile), cancellationToken).ConfigureAwait(false);
        var description = await ReadDescriptionAsync(Path.Combine(full, SegmentsFile), cancellationToken).ConfigureAwait(false);
        return new MapperDataset(clip, clap, description, full);
    }

    /// <summary>Writes the three files into <paramref name="directory"/> (created if needed), segments.json last.</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        await OutputFile.WriteAsync(Path.Combine(full, ClipFile), path => Clip.WriteFileAsync(path, cancellationToken)).ConfigureAwait(false);
        await OutputFile.WriteAsync(Path.Combine(full, ClapFile), path => Clap.WriteFileAsync(path, cancellationToken)).ConfigureAwait(false);
        await OutputFile.WriteAsync(
            Path.Combine(full, SegmentsFile),
            path => File.WriteAllTextAsync(path, JsonSerializer.Serialize(Description, JsonOptions) + "\n", cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<NpyArray> ReadArrayAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TrainingException(TrainingErrorReason.MissingDataset, $"{path} does not exist: a dataset folder holds clip.npy, clap.npy and segments.json.", path);
        }

        NpyArray array;
        try
        {
            array = await NpyArray.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (NpyFormatException ex)
        {
            throw new TrainingException(TrainingErrorReason.InvalidDataset, $"{path}: {ex.Message}", path, ex);
        }

        var bad = FirstNonFinite(array.Data);
        if (bad >= 0)
        {
            throw new TrainingException(
                TrainingErrorReason.InvalidDataset,
                string.Create(CultureInfo.InvariantCulture, $"{path} has a non-finite value in row {bad / Math.Max(1, array.Columns)}: rebuild the dataset or drop that row."),
                path);
        }

        return array;
    }

    private static int FirstNonFinite(float[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<DatasetDescription> ReadDescriptionAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TrainingException(TrainingErrorReason.MissingDataset, $"{path} does not exist: a dataset folder holds clip.npy, clap.npy and segments.json.", path);
        }

        DatasetDescription? description;
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                description = await JsonSerializer.DeserializeAsync<DatasetDescription>(stream, JsonOptions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new TrainingException(TrainingErrorReason.InvalidDataset, $"{path} is not valid JSON for a dataset ({ex.Message}).", path, ex);
        }

        if (description is null || description.Format != DatasetDescription.FormatName)
        {
            throw new TrainingException(TrainingErrorReason.InvalidDataset, $"{path} is not a {DatasetDescription.FormatName} file (its \"format\" is {description?.Format ?? "missing"}).", path);
        }

        if (description.Version > DatasetDescription.CurrentVersion)
        {
            throw new TrainingException(TrainingErrorReason.InvalidDataset, $"{path} is version {description.Version} of the dataset format; this v2a reads up to {DatasetDescription.CurrentVersion}: update v2a.", path);
        }

        for (var row = 0; row < description.Segments.Count; row++)
        {
            var segment = description.Segments[row];
            if (segment is null || string.IsNullOrEmpty(segment.Video) || !(segment.StartSeconds >= 0) || !(segment.EndSeconds > segment.StartSeconds) || segment.SceneIndex < 0)
            {
                throw new TrainingException(
                    TrainingErrorReason.InvalidDataset,
                    string.Create(CultureInfo.InvariantCulture, $"{path}: segment {row} needs a video, 0 <= start_seconds < end_seconds and scene_index >= 0."),
                    path);
            }
        }

        return description;
    }

    private static string ComputeFingerprint(NpyArray clip, NpyArray clap)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var array in new[] { clip, clap })
        {
            Span<int> shape = [array.Rows, array.Columns];
            hash.AppendData(MemoryMarshal.AsBytes(shape));
            hash.AppendData(MemoryMarshal.AsBytes(array.Data.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 8));
    }
}
