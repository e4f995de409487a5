using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>AudioLDM's VAE decoder: latent [B,8,T,16] float32 -> mel [B,1,4T,64] float32 (a log-mel spectrogram).</summary>
internal sealed class VaeDecoderSession : IDisposable
{
    public const string LatentName = "latent";
    public const string MelName = "mel";
    public const int MelBins = 64;

    public VaeDecoderSession(ModelSession model, string file)
    {
        Model = model;
        Validate(file, model.Inputs, model.Outputs);
    }

    public ModelSession Model { get; }

    public static void Validate(string file, IReadOnlyList<TensorMetadata> inputs, IReadOnlyList<TensorMetadata> outputs)
    {
        TensorContract.Require(file, "input", inputs, LatentName, [TensorElementType.Float], [-1, UnetSession.LatentChannels, -1, UnetSession.LatentFrequencies]);
        TensorContract.Require(file, "output", outputs, MelName, [TensorElementType.Float], [-1, 1, -1, MelBins]);
    }

    /// <summary>Decodes <paramref name="latent"/> [B,8,T,16] (already divided by the scaling factor) into <paramref name="mel"/> [B,1,4T,64], wherever both live.</summary>
    public void Decode(OrtValue latent, OrtValue mel, CancellationToken cancellationToken) =>
        Model.Run(LatentName, latent, MelName, mel, cancellationToken);

    public void Dispose() => Model.Dispose();
}
