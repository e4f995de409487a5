using V2AStream.Core.Mapping;

namespace V2AStream.Core.Training;

/// <summary>
/// The parameters of the Table I mapper (<see cref="MlpMapper.Layers"/>) in one flat float32 buffer, layer after
/// layer, each weight [out, in] row-major followed by its bias [out]: the layout PyTorch's nn.Linear uses, so the
/// optimizer runs over one array and the safetensors file holds the same values under the same names.
/// The same shape also holds gradients and optimizer moments.
/// </summary>
internal sealed class MlpWeights
{
    private static readonly int[] Offsets = ComputeOffsets();

    public MlpWeights()
    {
        Values = new float[Offsets[^1]];
    }

    /// <summary>Number of Linear layers.</summary>
    public static int LayerCount => MlpMapper.Layers.Length;

    /// <summary>Every parameter, layer after layer (weight then bias).</summary>
    public float[] Values { get; }

    public static int InputsOf(int layer) => MlpMapper.Layers[layer].In;

    public static int OutputsOf(int layer) => MlpMapper.Layers[layer].Out;

    /// <summary>PyTorch's nn.Linear initialisation: weight and bias uniform in ±1/sqrt(in) (kaiming_uniform with a = sqrt(5)).</summary>
    public static MlpWeights Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var weights = new MlpWeights();
        for (var layer = 0; layer < LayerCount; layer++)
        {
            var bound = 1.0 / Math.Sqrt(InputsOf(layer));
            Fill(weights.Weight(layer), random, bound);
            Fill(weights.Bias(layer), random, bound);
        }

        return weights;
    }

    /// <summary>Reads a mapper file the engine loads (any prefix, F32/F16/BF16).</summary>
    public static MlpWeights Load(string path)
    {
        var weights = new MlpWeights();
        var layers = MlpMapper.ReadLayers(path);
        for (var layer = 0; layer < LayerCount; layer++)
        {
            layers[layer].Weight.CopyTo(weights.Weight(layer));
            layers[layer].Bias.CopyTo(weights.Bias(layer));
        }

        return weights;
    }

    public Memory<float> Weight(int layer) => Values.AsMemory(Offsets[layer], OutputsOf(layer) * InputsOf(layer));

    public Memory<float> Bias(int layer) => Values.AsMemory(Offsets[layer] + (OutputsOf(layer) * InputsOf(layer)), OutputsOf(layer));

    public MlpWeights Clone()
    {
        var copy = new MlpWeights();
        Values.CopyTo(copy.Values, 0);
        return copy;
    }

    /// <summary>Writes the weights as the mlp mapper file: "0.weight" [1024,512], "0.bias", "2.*", "3.*", "4.*".</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = new List<SafetensorsTensor>();
        for (var layer = 0; layer < LayerCount; layer++)
        {
            var (index, inputs, outputs) = MlpMapper.Layers[layer];
            tensors.Add(new SafetensorsTensor($"{index}.weight", Weight(layer), [outputs, inputs]));
            tensors.Add(new SafetensorsTensor($"{index}.bias", Bias(layer), [outputs]));
        }

        SafetensorsWriter.Write(path, tensors, metadata);
    }

    private static void Fill(Memory<float> values, Random random, double bound)
    {
        var span = values.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)(((2 * random.NextDouble()) - 1) * bound);
        }
    }

    private static int[] ComputeOffsets()
    {
        var offsets = new int[MlpMapper.Layers.Length + 1];
        for (var layer = 0; layer < MlpMapper.Layers.Length; layer++)
        {
            var (_, inputs, outputs) = MlpMapper.Layers[layer];
            offsets[layer + 1] = offsets[layer] + (outputs * inputs) + outputs;
        }

        return offsets;
    }
}
