using System.Text.Json;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Mapping;

/// <summary>tests/reference/mapper_reference.json and the deterministic Table I weights of make_mapper_reference.py.</summary>
internal static class MapperReference
{
    private static readonly Lazy<JsonElement> Json = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("mapper_reference.json"))).RootElement);

    public static string PathOf(string file) => Path.Combine(RepositoryPaths.Root, "tests", "reference", file);

    public static float[][] Rows(string name) =>
        Json.Value.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    public static string[] Labels => Json.Value.GetProperty("labels").EnumerateArray().Select(v => v.GetString()!).ToArray();

    /// <summary>The same integer formula as mlp_weight in the script: exact in double, so identical float32 values.</summary>
    public static float[] Weight(int layer, int rows, int cols)
    {
        var w = new float[rows * cols];
        var scale = Math.Sqrt(cols);
        for (long i = 0; i < rows; i++)
        {
            for (long j = 0; j < cols; j++)
            {
                w[(i * cols) + j] = (float)((((i * 131) + (j * 71) + (layer * 37)) % 197 - 98) / 98.0 / scale);
            }
        }

        return w;
    }

    public static float[] Bias(int layer, int rows)
    {
        var b = new float[rows];
        for (long i = 0; i < rows; i++)
        {
            b[i] = (float)((((i * 53) + (layer * 11)) % 101 - 50) / 500.0);
        }

        return b;
    }

    public static void WriteMlpWeights(string path, string prefix = "", (int Layer, long[] Shape)? wrongShape = null, string? skip = null)
    {
        var tensors = new List<(string, float[], long[])>();
        foreach (var (index, inputs, outputs) in V2AStream.Core.Mapping.MlpMapper.Layers)
        {
            var shape = wrongShape is { } wrong && wrong.Layer == index ? wrong.Shape : [outputs, inputs];
            var weightName = $"{prefix}{index}.weight";
            if (weightName != skip)
            {
                tensors.Add((weightName, Weight(index, (int)shape[0], (int)shape[1]), shape));
            }

            tensors.Add(($"{prefix}{index}.bias", Bias(index, outputs), [outputs]));
        }

        SafetensorsTestWriter.Write(path, tensors);
    }
}
