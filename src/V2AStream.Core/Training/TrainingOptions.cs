using System.Globalization;

namespace V2AStream.Core.Training;

/// <summary>
/// How the mapper is trained. The defaults are V2A-SceneDetector's (Table I MLP, MSE, AdamW, lr 1e-4, 100 epochs)
/// with PyTorch's AdamW defaults (β 0.9/0.999, ε 1e-8, weight decay 0.01) and a DataLoader-style batch of 64.
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 100;

    public double LearningRate { get; init; } = 1e-4;

    public int BatchSize { get; init; } = 64;

    /// <summary>Share of each dataset's pairs held out for validation, 0 (none) to below 1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seeds the initial weights, the split and the order of the pairs in every epoch.</summary>
    public int Seed { get; init; }

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-8;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Threads the matrix products and the optimizer may use.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="TrainingException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        Require(Epochs is >= 1 and <= 100_000, $"epochs must be between 1 and 100000, not {Epochs}");
        Require(double.IsFinite(LearningRate) && LearningRate > 0 && LearningRate < 1, $"the learning rate must be above 0 and below 1, not {Format(LearningRate)}");
        Require(BatchSize is >= 1 and <= 65_536, $"the batch size must be between 1 and 65536, not {BatchSize}");
        Require(ValidationFraction is >= 0 and < 1, $"the validation fraction must be at least 0 and below 1, not {Format(ValidationFraction)}");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"AdamW's betas must be at least 0 and below 1, not {Format(Beta1)} and {Format(Beta2)}");
        Require(Epsilon is > 0 and < 1, $"AdamW's epsilon must be above 0 and below 1, not {Format(Epsilon)}");
        Require(WeightDecay is >= 0 and < 1, $"the weight decay must be at least 0 and below 1, not {Format(WeightDecay)}");
        Require(Threads >= 1, $"threads must be at least 1, not {Threads}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new TrainingException(TrainingErrorReason.InvalidOptions, message + ".");
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
