using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>AudioLDM's HiFi-GAN vocoder (SpeechT5HifiGan): mel [B,F,64] float32 -> waveform [B,160·F] float32 at 16 kHz.</summary>
internal sealed class VocoderSession : IDisposable
{
    public const string MelName = "mel";
    public const string WaveformName = "waveform";

    /// <summary>Product of the upsample rates [5,4,2,2,2]: the mel hop in samples.</summary>
    public const int HopSamples = 160;

    private static readonly string[] OutputNames = [WaveformName];
    private readonly InferenceSession _session;

    public VocoderSession(InferenceSession session, string file)
    {
        _session = session;
        Validate(file, session.Inputs, session.Outputs);
    }

    public static void Validate(string file, IReadOnlyList<TensorMetadata> inputs, IReadOnlyList<TensorMetadata> outputs)
    {
        TensorContract.Require(file, "input", inputs, MelName, [TensorElementType.Float], [-1, -1, VaeDecoderSession.MelBins]);
        TensorContract.Require(file, "output", outputs, WaveformName, [TensorElementType.Float], [-1, -1]);
    }

    /// <summary>Vocodes B mels of <paramref name="melFrames"/> frames; returns B·160·frames samples, block after block.</summary>
    public float[] Vocode(ReadOnlyMemory<float> mel, int batch, int melFrames, CancellationToken cancellationToken)
    {
        using var result = _session.Run([OrtInput.Create(MelName, mel, batch, melFrames, VaeDecoderSession.MelBins)], OutputNames, cancellationToken);
        var waveform = result[0];
        long[] expected = [batch, (long)HopSamples * melFrames];
        if (!waveform.Shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The vocoder returned shape {TensorElementTypes.DescribeShape(waveform.Shape.ToArray())}, expected {TensorElementTypes.DescribeShape(expected)}.");
        }

        return waveform.ToArray<float>();
    }

    public void Dispose() => _session.Dispose();
}
