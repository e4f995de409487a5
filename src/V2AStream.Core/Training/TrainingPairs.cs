using System.Numerics.Tensors;

namespace V2AStream.Core.Training;

/// <summary>
/// Chosen rows of one or more datasets gathered into two row-major float32 matrices: inputs [count, 512] (the mean
/// frame embeddings as they are) and targets [count, 512] (the CLAP embeddings, L2-normalized, the space the engine's
/// mapper output lives in after its own normalization).
/// </summary>
internal sealed class TrainingPairs
{
    private TrainingPairs(float[] inputs, float[] targets, int count)
    {
        Inputs = inputs;
        Targets = targets;
        Count = count;
    }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    public int Count { get; }

    public static int InputDimension => MlpNetwork.InputDimension;

    public static int TargetDimension => MlpNetwork.OutputDimension;

    /// <summary>Throws <see cref="TrainingException"/> unless the dataset's dimensions fit the Table I mapper.</summary>
    public static void CheckDimensions(MapperDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var where = dataset.Directory ?? "the dataset";
        if (dataset.Clip.Columns != InputDimension)
        {
            var madeBy = dataset.Description.ModelSet is { } set ? $" (made with model set {set})" : string.Empty;
            throw new TrainingException(
                TrainingErrorReason.WrongDimension,
                $"{where}: {MapperDataset.ClipFile} holds {dataset.Clip.Columns}-d embeddings{madeBy}; the Table I mapper takes {InputDimension}-d CLIP ViT-B/32 embeddings: build the dataset with a 512-d embedder.",
                dataset.Directory);
        }

        if (dataset.Clap.Columns != TargetDimension)
        {
            throw new TrainingException(
                TrainingErrorReason.WrongDimension,
                $"{where}: {MapperDataset.ClapFile} holds {dataset.Clap.Columns}-d embeddings; the mapper maps to {TargetDimension}-d CLAP embeddings.",
                dataset.Directory);
        }
    }

    public static TrainingPairs Gather(IReadOnlyList<(MapperDataset Dataset, IReadOnlyList<int> Rows)> selections)
    {
        ArgumentNullException.ThrowIfNull(selections);
        var count = selections.Sum(s => s.Rows.Count);
        var inputs = new float[count * InputDimension];
        var targets = new float[count * TargetDimension];
        var next = 0;
        foreach (var (dataset, rows) in selections)
        {
            CheckDimensions(dataset);
            foreach (var row in rows)
            {
                dataset.Clip.Row(row).CopyTo(inputs.AsSpan(next * InputDimension, InputDimension));
                var target = targets.AsSpan(next * TargetDimension, TargetDimension);
                dataset.Clap.Row(row).CopyTo(target);
                // Summed in double in row order, so the targets are the same bits on every machine.
                var squares = 0.0;
                foreach (var value in target)
                {
                    squares += (double)value * value;
                }

                var norm = (float)Math.Sqrt(squares);
                if (!(norm > 0))
                {
                    throw new TrainingException(
                        TrainingErrorReason.InvalidDataset,
                        $"{dataset.Directory ?? "the dataset"}: row {row} of {MapperDataset.ClapFile} is all zeros, which has no direction to learn: rebuild the dataset or drop that row.",
                        dataset.Directory);
                }

                TensorPrimitives.Divide(target, norm, target);
                next++;
            }
        }

        return new TrainingPairs(inputs, targets, count);
    }
}
