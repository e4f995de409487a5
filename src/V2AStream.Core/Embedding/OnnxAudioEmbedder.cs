using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Embedding;

/// <summary>
/// An ONNX audio tower as the <see cref="IAudioEmbedder"/> (the onnx-audio kind): float32 waveform [N, Samples] under the
/// manifest's input name to float32 [N, Dim] under its output name. Fits export_clap.py's clap_audio.onnx (waveform
/// [B, 480000] at 48 kHz -> audio_embeds [B, 512], the log-mel front end inside the graph). Thread-safe.
/// </summary>
public sealed class OnnxAudioEmbedder : IAudioEmbedder
{
    /// <summary>Windows per ONNX run unless the model fixes its batch: a CLAP window is 1.9 MB of input, and HTSAT's
    /// activations for a few windows already fill a CPU's caches many times over, so larger batches gain little.</summary>
    public const int DefaultMaxBatchSize = 4;

    private readonly ModelSession _session;
    private readonly string _inputName;
    private readonly string[] _outputNames;

    private OnnxAudioEmbedder(ModelSession session, AudioEmbedderSpec spec, string name, int maxBatchSize)
    {
        _session = session;
        _inputName = spec.Input;
        _outputNames = [spec.Output];
        Name = name;
        SampleRate = spec.SampleRate;
        WindowSamples = spec.Samples;
        Dim = spec.Dim;
        MaxBatchSize = maxBatchSize;
    }

    public string Name { get; }

    public int SampleRate { get; }

    public int WindowSamples { get; }

    public int Dim { get; }

    public int MaxBatchSize { get; }

    /// <summary>
    /// The embedder over <paramref name="session"/> (the model at <paramref name="modelPath"/>), which it owns from now on
    /// (disposed here when the model does not match); throws <see cref="ModelSetException"/> (InvalidManifest,
    /// ContractMismatch) naming the file and tensor.
    /// </summary>
    public static OnnxAudioEmbedder Create(ModelSession session, AudioEmbedderSpec spec, string modelPath, int maxBatchSize = DefaultMaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            CheckSpec(spec, modelPath);
            var fixedBatch = CheckContract(session, spec, modelPath);
            return new OnnxAudioEmbedder(session, spec, Path.GetFileNameWithoutExtension(modelPath), fixedBatch ?? Math.Max(1, maxBatchSize));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public async Task EmbedAsync(ReadOnlyMemory<float> windows, Memory<float> embeddings, CancellationToken cancellationToken)
    {
        if (windows.Length % WindowSamples != 0 || embeddings.Length != windows.Length / WindowSamples * Dim)
        {
            throw new ArgumentException($"{Name} takes whole windows of {WindowSamples} samples and gives {Dim} values per window.", nameof(windows));
        }

        var count = windows.Length / WindowSamples;
        for (var start = 0; start < count; start += MaxBatchSize)
        {
            var batch = Math.Min(MaxBatchSize, count - start);
            var input = windows.Slice(start * WindowSamples, batch * WindowSamples);
            var output = embeddings.Slice(start * Dim, batch * Dim);

            // ORT's Run blocks its thread for the whole inference: keep it off the caller's.
            await Task.Run(() => RunBatch(input, batch, output, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _session.Dispose();

    internal static void CheckSpec(AudioEmbedderSpec spec, string modelPath)
    {
        if (string.IsNullOrEmpty(spec.Input) || string.IsNullOrEmpty(spec.Output) || spec.SampleRate <= 0 || spec.Samples <= 0 || spec.Dim <= 0)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The onnx-audio audio_embedder for {modelPath} needs input, output and positive sample_rate, samples and dim in the manifest.", modelPath);
        }
    }

    /// <summary>Checks the model's waveform input and embedding output; returns the model's fixed batch size, if it has one.</summary>
    private static int? CheckContract(ModelSession session, AudioEmbedderSpec spec, string modelPath)
    {
        var input = TensorContract.Require(modelPath, "input", session.Inputs, spec.Input, [TensorElementType.Float], [-1, spec.Samples]);
        TensorContract.Require(modelPath, "output", session.Outputs, spec.Output, [TensorElementType.Float], [-1, spec.Dim]);
        return input.Dimensions[0] > 0 ? (int)input.Dimensions[0] : null;
    }

    private void RunBatch(ReadOnlyMemory<float> windows, int count, Memory<float> destination, CancellationToken cancellationToken)
    {
        // ORT reads the input and never writes it: wrapping the caller's memory saves a 1.9 MB copy per window.
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(windows), [count, WindowSamples]);
        using var result = _session.Run(new Dictionary<string, OrtValue> { [_inputName] = input }, _outputNames, cancellationToken);
        var output = result.First().GetTensorDataAsSpan<float>();
        if (output.Length != count * Dim)
        {
            throw new ModelSetException(
                ModelSetErrorReason.ContractMismatch,
                $"{_session.ModelName} output '{_outputNames[0]}' has {output.Length} values for {count} windows; the manifest says {Dim} per window.",
                _session.ModelName,
                _outputNames[0]);
        }

        output.CopyTo(destination.Span);
    }
}
