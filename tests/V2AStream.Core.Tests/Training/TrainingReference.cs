using System.Text.Json;
using V2AStream.Core.Mapping;
using V2AStream.Core.Training;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Training;

/// <summary>
/// tests/reference/training_reference.json (PyTorch's run, from make_training_reference.py) and the integer formulas
/// that script builds its initial weights and data from: exact in double, so both sides round to the same float32 values.
/// </summary>
internal static class TrainingReference
{
    public const int Dim = 512;

    private static readonly Lazy<JsonElement> Json = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "reference", "training_reference.json"))).RootElement);

    public static JsonElement Root => Json.Value;

    public static int Pairs => Root.GetProperty("pairs").GetInt32();

    public static TrainingOptions Options => new()
    {
        LearningRate = Root.GetProperty("learning_rate").GetDouble(),
        WeightDecay = Root.GetProperty("weight_decay").GetDouble(),
        Beta1 = Root.GetProperty("betas")[0].GetDouble(),
        Beta2 = Root.GetProperty("betas")[1].GetDouble(),
        Epsilon = Root.GetProperty("eps").GetDouble(),
        BatchSize = Root.GetProperty("batch_size").GetInt32(),
    };

    public static int[][] Batches => Root.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToArray();

    public static double[] Losses => Root.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>The tensor names in the order of <see cref="MlpMapper.Layers"/>: "0.weight", "0.bias", "2.weight", ...</summary>
    public static IEnumerable<(string Name, int Layer, bool IsWeight)> Tensors =>
        MlpMapper.Layers.SelectMany((l, layer) => new[] { ($"{l.Index}.weight", layer, true), ($"{l.Index}.bias", layer, false) });

    public static MlpWeights InitialWeights()
    {
        var weights = new MlpWeights();
        for (var layer = 0; layer < MlpMapper.Layers.Length; layer++)
        {
            var (index, cols, rows) = MlpMapper.Layers[layer];
            var w = weights.Weight(layer).Span;
            for (long i = 0; i < rows; i++)
            {
                for (long j = 0; j < cols; j++)
                {
                    var k = ((i * i * 7) + (j * j * 3) + (i * j * 5) + (i * 131) + (j * 71) + (index * 37)) % 197;
                    w[(int)((i * cols) + j)] = (float)((k - 98) / 98.0 / Math.Sqrt(cols));
                }
            }

            var b = weights.Bias(layer).Span;
            for (long i = 0; i < rows; i++)
            {
                var k = ((i * i * 3) + (i * 53) + (index * 11)) % 101;
                b[(int)i] = (float)((k - 50) / 50.0 / Math.Sqrt(cols));
            }
        }

        return weights;
    }

    public static float[] Inputs() => Matrix((n, j) => (((n * n * 5) + (j * j * 11) + (n * j * 3) + (n * 37) + (j * 13)) % 89 - 44) / 88.0, normalize: false);

    public static float[] Targets() => Matrix((n, j) => ((n * n * 13) + (j * j * 7) + (n * j) + (n * 29) + (j * 17)) % 83 - 41, normalize: true);

    private static float[] Matrix(Func<long, long, double> value, bool normalize)
    {
        var result = new float[Pairs * Dim];
        var row = new double[Dim];
        for (long n = 0; n < Pairs; n++)
        {
            for (long j = 0; j < Dim; j++)
            {
                row[j] = value(n, j);
            }

            var norm = normalize ? Math.Sqrt(row.Sum(v => v * v)) : 1.0;
            for (var j = 0; j < Dim; j++)
            {
                result[(n * Dim) + j] = (float)(row[j] / norm);
            }
        }

        return result;
    }
}
