using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Graphs;

namespace V2AStream.Core.Generation;

/// <summary>
/// The arithmetic of AudioLDM's sampling loop between model runs, as small ONNX graphs, so that it runs on the device
/// the UNet runs on and the latents never leave it: <see cref="Start"/> uploads the starting noise and the condition,
/// <see cref="Step"/> applies classifier-free guidance and one DDIM update, <see cref="DecoderInput"/> prepares the
/// final latent for the VAE. Shapes are dynamic in the batch and the latent length.
/// </summary>
internal static class SamplingGraphs
{
    public const string NoiseName = "noise";
    public const string ClassLabelsName = "class_labels";
    public const string SampleName = "sample";
    public const string LabelsName = "labels";
    public const string NoisePredictionName = "noise_prediction";
    public const string CoefficientsName = "coefficients";
    public const string NextSampleName = "next_sample";
    public const string LatentName = "latent";

    /// <summary>noise [B,8,T,16], class_labels [2B,512] -> sample [2B,8,T,16] = [noise; noise] (the guidance batch), labels = class_labels.</summary>
    public static byte[] Start() =>
        new OnnxGraphBuilder("audioldm_start")
            .Input(NoiseName, TensorElementType.Float, "batch", 8L, "frames", 16L)
            .Input(ClassLabelsName, TensorElementType.Float, "guided_batch", 512L)
            .Node("Concat", [NoiseName, NoiseName], [SampleName], OnnxAttribute.Int("axis", 0))
            .Node("Identity", [ClassLabelsName], [LabelsName])
            .Output(SampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Output(LabelsName, TensorElementType.Float, "guided_batch", 512L)
            .ToBytes();

    /// <summary>
    /// sample [2B,8,T,16] (latents twice), noise_prediction [2B,8,T,16] ([ε_u; ε_c]), coefficients [2] (the DDIM step's a, b)
    /// -> next_sample [2B,8,T,16] = [x'; x'] with ε = ε_u + g·(ε_c - ε_u) (diffusers AudioLDMPipeline, classifier-free
    /// guidance) and x' = a·x + b·ε (<see cref="DdimScheduler.Coefficients"/>).
    /// </summary>
    public static byte[] Step(float guidance) =>
        new OnnxGraphBuilder("audioldm_guided_ddim_step")
            .Input(SampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Input(NoisePredictionName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Input(CoefficientsName, TensorElementType.Float, 2L)
            .Initializer("guidance", [guidance])
            .Initializer("index_a", [0L], [])
            .Initializer("index_b", [1L], [])
            .Node("Split", [SampleName], ["latents", "latents_copy"], OnnxAttribute.Int("axis", 0))
            .Node("Split", [NoisePredictionName], ["eps_uncond", "eps_cond"], OnnxAttribute.Int("axis", 0))
            .Node("Sub", ["eps_cond", "eps_uncond"], ["eps_delta"])
            .Node("Mul", ["eps_delta", "guidance"], ["eps_guided_delta"])
            .Node("Add", ["eps_uncond", "eps_guided_delta"], ["eps"])
            .Node("Gather", [CoefficientsName, "index_a"], ["a"])
            .Node("Gather", [CoefficientsName, "index_b"], ["b"])
            .Node("Mul", ["latents", "a"], ["scaled_latents"])
            .Node("Mul", ["eps", "b"], ["scaled_eps"])
            .Node("Add", ["scaled_latents", "scaled_eps"], ["next_latents"])
            .Node("Concat", ["next_latents", "next_latents"], [NextSampleName], OnnxAttribute.Int("axis", 0))
            .Output(NextSampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .ToBytes();

    /// <summary>
    /// sample [2B,8,T,16] -> latent [B,8,T,16]: the latents, clipped to [-10, 10] when any magnitude in the batch exceeds
    /// 100 (as the original AudioLDM does), divided by the VAE's scaling factor.
    /// </summary>
    public static byte[] DecoderInput(float scalingFactor) =>
        new OnnxGraphBuilder("audioldm_decoder_input")
            .Input(SampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Initializer("limit", [100f], [])
            .Initializer("low", [-10f], [])
            .Initializer("high", [10f], [])
            .Initializer("scaling", [scalingFactor], [])
            .Node("Split", [SampleName], ["latents", "latents_copy"], OnnxAttribute.Int("axis", 0))
            .Node("Abs", ["latents"], ["magnitudes"])
            .Node("ReduceMax", ["magnitudes"], ["largest"], OnnxAttribute.Int("keepdims", 0))
            .Node("Greater", ["largest", "limit"], ["too_large"])
            .Node("Clip", ["latents", "low", "high"], ["clipped"])
            .Node("Where", ["too_large", "clipped", "latents"], ["bounded"])
            .Node("Div", ["bounded", "scaling"], [LatentName])
            .Output(LatentName, TensorElementType.Float, "batch", 8L, "frames", 16L)
            .ToBytes();
}
