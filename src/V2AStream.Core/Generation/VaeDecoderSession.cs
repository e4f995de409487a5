using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>AudioLDM's VAE decoder: latent [B,8,T,16] float32 -> mel [B,1,4T,64] float32 (a log-mel spectrogram).</summary>
internal sealed class VaeDecoderSession : IDisposable
{
    public const string LatentName = "latent";
    public const string MelName = "mel";
    public const int MelBins = 64;

    private static readonly string[] OutputNames = [MelName];
    private readonly InferenceSession _session;

    public VaeDecoderSession(InferenceSession session, string file)
    {
        _session = session;
        Validate(file, session.Inputs, session.Outputs);
    }

    public static void Validate(string file, IReadOnlyList<TensorMetadata> inputs, IReadOnlyList<TensorMetadata> outputs)
    {
        TensorContract.Require(file, "input", inputs, LatentName, [TensorElementType.Float], [-1, UnetSession.LatentChannels, -1, UnetSession.LatentFrequencies]);
        TensorContract.Require(file, "output", outputs, MelName, [TensorElementType.Float], [-1, 1, -1, MelBins]);
    }

    /// <summary>Decodes <paramref name="latent"/> (already divided by the scaling factor) to a mel of B·4T·64 values.</summary>
    public float[] Decode(ReadOnlyMemory<float> latent, int batch, int frames, CancellationToken cancellationToken)
    {
        using var result = _session.Run([OrtInput.Create(LatentName, latent, batch, UnetSession.LatentChannels, frames, UnetSession.LatentFrequencies)], OutputNames, cancellationToken);
        var mel = result[0];
        long[] expected = [batch, 1, 4L * frames, MelBins];
        if (!mel.Shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The VAE decoder returned shape {TensorElementTypes.DescribeShape(mel.Shape.ToArray())}, expected {TensorElementTypes.DescribeShape(expected)}.");
        }

        return mel.ToArray<float>();
    }

    public void Dispose() => _session.Dispose();
}
