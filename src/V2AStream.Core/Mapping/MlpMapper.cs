using System.Numerics.Tensors;
using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>
/// The CLIP-to-CLAP mapper of V2A-SceneDetector Table I: Linear(512,1024), ReLU, Linear(1024,512),
/// Linear(512,512), Linear(512,512), then L2 normalization (AudioLDM was trained on normalized CLAP
/// embeddings). Weights are a PyTorch nn.Sequential state dict in safetensors: "0.weight" [1024,512],
/// "0.bias", "2.*", "3.*", "4.*" (index 1 is the ReLU), optionally under a common prefix such as "mapper.".
/// </summary>
internal sealed class MlpMapper : IConditionMapper
{
    /// <summary>(nn.Sequential index, in, out) of each Linear layer, in order.</summary>
    internal static readonly (int Index, int In, int Out)[] Layers = [(0, 512, 1024), (2, 1024, 512), (3, 512, 512), (4, 512, 512)];

    private readonly Layer[] _layers;

    private MlpMapper(Layer[] layers) => _layers = layers;

    public string Kind => MlpMapperKind.KindName;

    public int? InputDimension => Layers[0].In;

    public int? OutputDimension => Layers[^1].Out;

    public static MlpMapper Load(string path) =>
        new(ReadLayers(path).Select((l, i) => new Layer(l.Weight, l.Bias, Layers[i].In, Layers[i].Out)).ToArray());

    /// <summary>The weight [out, in] and bias [out] of each Table I layer in the file, in order (training reads them too).</summary>
    internal static (float[] Weight, float[] Bias)[] ReadLayers(string path)
    {
        var file = SafetensorsFile.Read(path);
        var prefix = FindPrefix(file);
        return Layers.Select(l => (file.ReadFloats($"{prefix}{l.Index}.weight", l.Out, l.In), file.ReadFloats($"{prefix}{l.Index}.bias", l.Out))).ToArray();
    }

    public MappedCondition Map(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Layers[0].In)
        {
            throw new ArgumentException($"The mlp mapper takes {Layers[0].In}-d embeddings (CLIP ViT-B/32), got {embedding.Length}-d.", nameof(embedding));
        }

        var input = embedding.ToArray();
        for (var i = 0; i < _layers.Length; i++)
        {
            input = _layers[i].Apply(input, relu: i == 0);
        }

        var norm = TensorPrimitives.Norm(input);
        if (norm > 0)
        {
            TensorPrimitives.Divide(input, norm, input);
        }

        return new MappedCondition(input, []);
    }

    private static string FindPrefix(SafetensorsFile file)
    {
        if (file.ShapeOf("0.weight") is not null)
        {
            return string.Empty;
        }

        var key = file.TensorNames.FirstOrDefault(n => n.EndsWith(".0.weight", StringComparison.Ordinal));
        return key is null ? string.Empty : key[..^"0.weight".Length];
    }

    private sealed class Layer(float[] weight, float[] bias, int inputs, int outputs)
    {
        public float[] Apply(float[] input, bool relu)
        {
            var output = new float[outputs];
            for (var row = 0; row < outputs; row++)
            {
                output[row] = TensorPrimitives.Dot(weight.AsSpan(row * inputs, inputs), input) + bias[row];
            }

            if (relu)
            {
                TensorPrimitives.Max(output, 0f, output);
            }

            return output;
        }
    }
}
