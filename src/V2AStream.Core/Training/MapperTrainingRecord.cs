using System.Globalization;
using System.Text.Json;

namespace V2AStream.Core.Training;

/// <summary>
/// What a trained mapper file says about its training, in its safetensors "__metadata__" (string values, as the
/// format requires, under "v2a.*" keys): the seed and validation fraction that decide each dataset's split, the
/// datasets it was trained on, and the epoch and validation metrics of the saved weights. Evaluation reads it to
/// score a training dataset on its held-out pairs only.
/// </summary>
public sealed record MapperTrainingRecord(
    int Seed,
    double ValidationFraction,
    IReadOnlyList<TrainedDataset> Datasets,
    int Epoch,
    int Epochs,
    double LearningRate,
    int BatchSize,
    double? ValidationMse,
    double? ValidationCosine)
{
    private const string Prefix = "v2a.";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            [Prefix + "seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            [Prefix + "validation_fraction"] = ValidationFraction.ToString("R", CultureInfo.InvariantCulture),
            [Prefix + "datasets"] = JsonSerializer.Serialize(Datasets, JsonOptions),
            [Prefix + "epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            [Prefix + "epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
            [Prefix + "learning_rate"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
            [Prefix + "batch_size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        };
        if (ValidationMse is { } mse)
        {
            metadata[Prefix + "validation_mse"] = mse.ToString("R", CultureInfo.InvariantCulture);
        }

        if (ValidationCosine is { } cosine)
        {
            metadata[Prefix + "validation_cosine"] = cosine.ToString("R", CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    /// <summary>The record in a mapper file's metadata, or null when the file was not written by <c>v2a train mapper</c>.</summary>
    public static MapperTrainingRecord? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        try
        {
            if (!metadata.TryGetValue(Prefix + "seed", out var seed) || !metadata.TryGetValue(Prefix + "datasets", out var datasets))
            {
                return null;
            }

            return new MapperTrainingRecord(
                int.Parse(seed, CultureInfo.InvariantCulture),
                Number(metadata, "validation_fraction") ?? 0,
                JsonSerializer.Deserialize<TrainedDataset[]>(datasets, JsonOptions) ?? [],
                (int)(Number(metadata, "epoch") ?? 0),
                (int)(Number(metadata, "epochs") ?? 0),
                Number(metadata, "learning_rate") ?? 0,
                (int)(Number(metadata, "batch_size") ?? 0),
                Number(metadata, "validation_mse"),
                Number(metadata, "validation_cosine"));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or JsonException)
        {
            return null;
        }
    }

    private static double? Number(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(Prefix + key, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : null;
}
