using System.Numerics.Tensors;
using System.Text.Json;
using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>
/// The zero-shot mapper: c = normalize(Σ_i w_i · clap_text_i) with w = softmax(τ · cos(x, clip_text_i)).
/// Both tables and the label list come from one safetensors file: "clip_text" [N, D] (CLIP text
/// embeddings of the labels' prompts), "clap_text" [N, E] (CLAP text embeddings of the same prompts),
/// and "__metadata__" {"labels": JSON array of N strings, optional "temperature"}. It also names the
/// scene: the labels with the largest weights.
/// </summary>
internal sealed class PrototypeMapper : IConditionMapper
{
    /// <summary>τ when neither the manifest nor the file gives one: CLIP's learned logit scale.</summary>
    public const float DefaultTemperature = 100f;

    private const int ReportedLabels = 3;

    private readonly float[] _clip;
    private readonly float[] _clipNorms;
    private readonly float[] _clap;
    private readonly string[] _labels;
    private readonly int _clipDim;
    private readonly int _clapDim;

    private PrototypeMapper(float[] clip, float[] clap, string[] labels, int clipDim, int clapDim, float temperature)
    {
        _clip = clip;
        _clap = clap;
        _labels = labels;
        _clipDim = clipDim;
        _clapDim = clapDim;
        Temperature = temperature;
        _clipNorms = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            _clipNorms[i] = TensorPrimitives.Norm(clip.AsSpan(i * clipDim, clipDim));
        }
    }

    public string Kind => PrototypeMapperKind.KindName;

    public int? InputDimension => _clipDim;

    public int? OutputDimension => _clapDim;

    public float Temperature { get; }

    public IReadOnlyList<string> Labels => _labels;

    public static PrototypeMapper Load(string path, float? temperature)
    {
        var file = SafetensorsFile.Read(path);
        if (!file.Metadata.TryGetValue("labels", out var labelsJson))
        {
            throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{path} has no \"labels\" entry in its __metadata__ (a JSON array of label names).", path, "__metadata__.labels");
        }

        string[] labels;
        try
        {
            labels = JsonSerializer.Deserialize<string[]>(labelsJson) ?? [];
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{path}: __metadata__.labels is not a JSON array of strings.", path, "__metadata__.labels", ex);
        }

        var clipShape = file.ShapeOf("clip_text");
        var clapShape = file.ShapeOf("clap_text");
        var clip = file.ReadFloats("clip_text", labels.Length, clipShape is { Count: 2 } ? clipShape[1] : -1);
        var clap = file.ReadFloats("clap_text", labels.Length, clapShape is { Count: 2 } ? clapShape[1] : -1);
        if (labels.Length == 0)
        {
            throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{path} lists no labels.", path, "__metadata__.labels");
        }

        var tau = temperature;
        if (tau is null && file.Metadata.TryGetValue("temperature", out var text) && float.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            tau = parsed;
        }

        return new PrototypeMapper(clip, clap, labels, (int)clipShape![1], (int)clapShape![1], tau ?? DefaultTemperature);
    }

    public MappedCondition Map(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != _clipDim)
        {
            throw new ArgumentException($"The prototype mapper takes {_clipDim}-d embeddings, got {embedding.Length}-d.", nameof(embedding));
        }

        var weights = Weights(embedding);
        var condition = new float[_clapDim];
        for (var i = 0; i < _labels.Length; i++)
        {
            TensorPrimitives.MultiplyAdd(_clap.AsSpan(i * _clapDim, _clapDim), weights[i], condition, condition);
        }

        var norm = TensorPrimitives.Norm(condition);
        if (norm > 0)
        {
            TensorPrimitives.Divide(condition, norm, condition);
        }

        var top = Enumerable.Range(0, _labels.Length)
            .OrderByDescending(i => weights[i])
            .ThenBy(i => i)
            .Take(ReportedLabels)
            .Select(i => new LabelScore(_labels[i], weights[i]))
            .ToArray();
        return new MappedCondition(condition, top);
    }

    /// <summary>softmax(τ · cos(x, clip_text_i)) over the labels.</summary>
    internal float[] Weights(ReadOnlySpan<float> embedding)
    {
        var inputNorm = TensorPrimitives.Norm(embedding);
        var logits = new float[_labels.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            var denominator = inputNorm * _clipNorms[i];
            var cosine = denominator > 0 ? TensorPrimitives.Dot(embedding, _clip.AsSpan(i * _clipDim, _clipDim)) / denominator : 0f;
            logits[i] = Temperature * cosine;
        }

        var weights = new float[logits.Length];
        TensorPrimitives.SoftMax(logits, weights);
        return weights;
    }
}
