using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Text;
using V2AStream.Onnx;

namespace V2AStream.Core.Embedding;

/// <summary>
/// An image network as a frame embedder (the onnx-image kind), driven by the manifest's <see cref="EmbedderSpec"/>: frames arrive at
/// <c>Size</c> x <c>Size</c> (CLIP crop or plain resize), become NCHW float32 <c>(x / 255 - mean) / std</c>, and the
/// named output's row is the embedding (not normalized: CLIP's encode_image does not normalize either).
/// Fits the CLIP ViT-B/32 image tower (pixel_values -> image_embeds, 512) and MobileNetV2 (input -> embedding, 1280).
/// Thread-safe (ORT sessions allow concurrent runs).
/// </summary>
public sealed class OnnxImageEmbedder : IFrameEmbedder
{
    private readonly ModelSession _session;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly float[] _lookup;

    /// <summary>Frames per ONNX run unless the model fixes its batch: enough to amortize a run's overhead, few enough that a
    /// live stream's batch (released after <see cref="Pipeline.PipelineOptions.MaxEmbedWait"/>) is rarely split.</summary>
    public const int DefaultMaxBatchSize = 8;

    private OnnxImageEmbedder(ModelSession session, EmbedderSpec spec, string name, int maxBatchSize)
    {
        _session = session;
        _inputName = spec.Input!;
        _outputNames = [spec.Output!];
        Name = name;
        Dim = spec.Dim;
        Geometry = GeometryOf(spec);
        MaxBatchSize = maxBatchSize;

        // Per channel, the normalized value of each byte: preprocessing becomes a table lookup.
        var mean = spec.Mean ?? [0f, 0f, 0f];
        var std = spec.Std ?? [1f, 1f, 1f];
        _lookup = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 256; v++)
            {
                _lookup[(c * 256) + v] = ((v / 255f) - mean[c]) / std[c];
            }
        }
    }

    public string Name { get; }

    public int Dim { get; }

    public FrameGeometry Geometry { get; }

    public int MaxBatchSize { get; }

    /// <summary>The frame geometry a spec asks for ("clip" or "plain" at Size).</summary>
    public static FrameGeometry GeometryOf(EmbedderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return string.Equals(spec.Resize, "plain", StringComparison.OrdinalIgnoreCase) ? FrameGeometry.Plain(spec.Size, spec.Size) : FrameGeometry.Clip(spec.Size);
    }

    /// <summary>
    /// The embedder over <paramref name="session"/> (the model at <paramref name="modelPath"/>), which it owns from now on (disposed here when the model does not
    /// match); throws <see cref="ModelSetException"/> (InvalidManifest, ContractMismatch) naming the file and tensor.
    /// </summary>
    /// <param name="maxBatchSize">The most frames per run; the model's own fixed batch size wins when it has one.</param>
    public static OnnxImageEmbedder Create(ModelSession session, EmbedderSpec spec, string modelPath, int maxBatchSize = DefaultMaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            CheckSpec(spec, modelPath);
            var fixedBatch = CheckContract(session, spec, modelPath);
            return new OnnxImageEmbedder(session, spec, Path.GetFileNameWithoutExtension(modelPath), fixedBatch ?? Math.Max(1, maxBatchSize));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public async Task EmbedAsync(IReadOnlyList<VideoFrame> frames, Memory<float> embeddings, CancellationToken cancellationToken)
    {
        this.CheckArguments(frames, embeddings);
        for (var start = 0; start < frames.Count; start += MaxBatchSize)
        {
            var count = Math.Min(MaxBatchSize, frames.Count - start);
            var batchStart = start;

            // ORT's Run blocks its thread for the whole inference: keep it off the caller's.
            await Task.Run(() => RunBatch(frames, batchStart, count, embeddings.Slice(batchStart * Dim, count * Dim), cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _session.Dispose();

    internal static void CheckSpec(EmbedderSpec spec, string modelPath)
    {
        if (string.IsNullOrEmpty(spec.Input) || string.IsNullOrEmpty(spec.Output) || spec.Dim <= 0 || spec.Size < 2)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The onnx-image embedder for {modelPath} needs input, output, size and dim in the manifest.", modelPath);
        }

        if ((spec.Mean is { } mean && mean.Count != 3) || (spec.Std is { } std && (std.Count != 3 || std.Any(s => s <= 0))))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The embedder for {modelPath} needs three mean values and three positive std values (RGB).", modelPath);
        }

        if (!string.Equals(spec.Resize, "clip", StringComparison.OrdinalIgnoreCase) && !string.Equals(spec.Resize, "plain", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The embedder for {modelPath} has resize '{SafeText.Escape(spec.Resize, 80)}'; use clip or plain.", modelPath);
        }
    }

    /// <summary>Checks the model's image input and embedding output; returns the model's fixed batch size, if it has one.</summary>
    internal static int? CheckContract(ModelSession session, EmbedderSpec spec, string modelPath)
    {
        var file = Path.GetFileName(modelPath);
        var input = session.Inputs.FirstOrDefault(i => i.Name == spec.Input)
            ?? throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{file} has no input '{SafeText.Escape(spec.Input!, 80)}' (it has {string.Join(", ", session.Inputs.Select(i => i.Name))}); fix the manifest's embedder.input.", modelPath, spec.Input);
        long[] expected = [-1, 3, spec.Size, spec.Size];
        if (input.ElementType != TensorElementType.Float || input.Dimensions.Count != 4
            || !input.Dimensions.Select((d, i) => d < 0 || expected[i] < 0 || d == expected[i]).All(ok => ok))
        {
            throw new ModelSetException(
                ModelSetErrorReason.ContractMismatch,
                $"{file} input '{SafeText.Escape(spec.Input!, 80)}' is {input}; the manifest needs float32 [N, 3, {spec.Size}, {spec.Size}].",
                modelPath,
                spec.Input);
        }

        var output = session.Outputs.FirstOrDefault(o => o.Name == spec.Output)
            ?? throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"{file} has no output '{SafeText.Escape(spec.Output!, 80)}' (it has {string.Join(", ", session.Outputs.Select(o => o.Name))}); fix the manifest's embedder.output.", modelPath, spec.Output);
        if (output.ElementType == TensorElementType.Float && output.Dimensions.Count == 0)
        {
            // No shape declared (e.g. an output added by editing the graph): the row length is checked on every run.
            return input.Dimensions[0] > 0 ? (int)input.Dimensions[0] : null;
        }

        var perItem = output.Dimensions.Skip(1).ToArray();
        var fixedItem = perItem.All(d => d > 0) ? perItem.Aggregate(1L, (a, d) => a * d) : (long?)null;
        if (output.ElementType != TensorElementType.Float || output.Dimensions.Count < 2 || (fixedItem is { } n && n != spec.Dim)
            || (fixedItem is null && perItem.Any(d => d > 0 && d != spec.Dim && d != 1)))
        {
            throw new ModelSetException(
                ModelSetErrorReason.ContractMismatch,
                $"{file} output '{SafeText.Escape(spec.Output!, 80)}' is {output}; the manifest needs float32 [N, {spec.Dim}].",
                modelPath,
                spec.Output);
        }

        return input.Dimensions[0] > 0 ? (int)input.Dimensions[0] : null;
    }

    private void RunBatch(IReadOnlyList<VideoFrame> frames, int start, int count, Memory<float> destination, CancellationToken cancellationToken)
    {
        var size = Geometry.Width;
        var plane = size * size;
        var tensor = ArrayPool<float>.Shared.Rent(count * 3 * plane);
        try
        {
            var lookup = _lookup.AsSpan();
            for (var n = 0; n < count; n++)
            {
                var pixels = frames[start + n].Pixels.Span;
                var item = tensor.AsSpan(n * 3 * plane, 3 * plane);
                var red = item[..plane];
                var green = item.Slice(plane, plane);
                var blue = item.Slice(2 * plane, plane);
                for (int i = 0, p = 0; i < plane; i++, p += 3)
                {
                    red[i] = lookup[pixels[p]];
                    green[i] = lookup[256 + pixels[p + 1]];
                    blue[i] = lookup[512 + pixels[p + 2]];
                }
            }

            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor.AsMemory(0, count * 3 * plane), [count, 3, size, size]);
            using var result = _session.Run(new Dictionary<string, OrtValue> { [_inputName] = input }, _outputNames, cancellationToken);
            var output = result.First().GetTensorDataAsSpan<float>();
            if (output.Length != count * Dim)
            {
                throw new ModelSetException(
                    ModelSetErrorReason.ContractMismatch,
                    $"{_session.ModelName} output '{_outputNames[0]}' has {output.Length} values for {count} frames; the manifest says {Dim} per frame.",
                    _session.ModelName,
                    _outputNames[0]);
            }

            output.CopyTo(destination.Span);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
        }
    }
}
