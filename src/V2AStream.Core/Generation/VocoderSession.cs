using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>AudioLDM's HiFi-GAN vocoder (SpeechT5HifiGan): mel [B,F,64] float32 -> waveform [B,160·F] float32 at 16 kHz.</summary>
internal sealed class VocoderSession : IDisposable
{
    public const string MelName = "mel";
    public const string WaveformName = "waveform";

    /// <summary>Product of the upsample rates [5,4,2,2,2]: the mel hop in samples.</summary>
    public const int HopSamples = 160;

    public VocoderSession(ModelSession model, string file)
    {
        Model = model;
        Validate(file, model.Inputs, model.Outputs);
    }

    public ModelSession Model { get; }

    public static void Validate(string file, IReadOnlyList<TensorMetadata> inputs, IReadOnlyList<TensorMetadata> outputs)
    {
        TensorContract.Require(file, "input", inputs, MelName, [TensorElementType.Float], [-1, -1, VaeDecoderSession.MelBins]);
        TensorContract.Require(file, "output", outputs, WaveformName, [TensorElementType.Float], [-1, -1]);
    }

    /// <summary>Vocodes <paramref name="mel"/> [B,F,64] into <paramref name="waveform"/> [B,160·F], wherever both live.</summary>
    public void Vocode(OrtValue mel, OrtValue waveform, CancellationToken cancellationToken) =>
        Model.Run(MelName, mel, WaveformName, waveform, cancellationToken);

    public void Dispose() => Model.Dispose();
}
