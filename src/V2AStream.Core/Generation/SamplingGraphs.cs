using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Graphs;

namespace V2AStream.Core.Generation;

/// <summary>
/// The arithmetic of AudioLDM's sampling loop between model runs, as small ONNX graphs, so that it runs on the device
/// the UNet runs on and the latents never leave it: <see cref="Start"/> uploads the starting noise and the condition,
/// <see cref="Step"/> applies classifier-free guidance and one DDIM update, <see cref="DecoderInput"/> prepares the
/// final latent for the VAE. For latent continuation (AudioLDM's inpainting: a block goes on from the previous block of
/// its scene), <see cref="Tie"/> puts the previous block's last latent frames, noised to the step's level, over a block's
/// first ones before every UNet run, and <see cref="Tail"/> reads a block's last frames out for the next block. Shapes are
/// dynamic in the batch and the latent length.
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
    public const string KnownName = "known";
    public const string KnownNoiseName = "known_noise";
    public const string TieMaskName = "tie_mask";
    public const string LevelName = "level";
    public const string TiedSampleName = "tied_sample";
    public const string TailFramesName = "tail_frames";
    public const string TailName = "tail";

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

    /// <summary>
    /// sample [2B,8,T,16], known [B,8,L,16] (the previous blocks' last L latent frames), known_noise [B,8,L,16], tie_mask
    /// [B,1,1,1] (1 for a block that continues, 0 for one that does not), level [2] (√ᾱ_t, √(1-ᾱ_t) of the step about to
    /// run) -> tied_sample [2B,8,T,16]: the latents with their first L frames replaced, where the mask is 1, by
    /// √ᾱ_t·known + √(1-ᾱ_t)·known_noise, the known latent noised to the step's level (the original AudioLDM's DDIM sampler
    /// with a mask and x0: img = q_sample(x0, t)·mask + (1 - mask)·img before each step), then doubled for guidance.
    /// </summary>
    public static byte[] Tie() =>
        new OnnxGraphBuilder("audioldm_latent_tie")
            .Input(SampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Input(KnownName, TensorElementType.Float, "batch", 8L, "tie_frames", 16L)
            .Input(KnownNoiseName, TensorElementType.Float, "batch", 8L, "tie_frames", 16L)
            .Input(TieMaskName, TensorElementType.Float, "batch", 1L, 1L, 1L)
            .Input(LevelName, TensorElementType.Float, 2L)
            .Initializer("zero", [0L], 1)
            .Initializer("end", [long.MaxValue], 1)
            .Initializer("frame_axis", [2L], 1)
            .Initializer("index_a", [0L], [])
            .Initializer("index_b", [1L], [])
            .Node("Split", [SampleName], ["latents", "latents_copy"], OnnxAttribute.Int("axis", 0))
            .Node("Shape", [KnownName], ["tie_length"], OnnxAttribute.Int("start", 2), OnnxAttribute.Int("end", 3))
            .Node("Slice", ["latents", "zero", "tie_length", "frame_axis"], ["head"])
            .Node("Slice", ["latents", "tie_length", "end", "frame_axis"], ["rest"])
            .Node("Gather", [LevelName, "index_a"], ["signal_level"])
            .Node("Gather", [LevelName, "index_b"], ["noise_level"])
            .Node("Mul", [KnownName, "signal_level"], ["scaled_known"])
            .Node("Mul", [KnownNoiseName, "noise_level"], ["scaled_noise"])
            .Node("Add", ["scaled_known", "scaled_noise"], ["noised_known"])
            .Node("Sub", ["noised_known", "head"], ["to_known"])
            .Node("Mul", ["to_known", TieMaskName], ["masked_change"])
            .Node("Add", ["head", "masked_change"], ["tied_head"])
            .Node("Concat", ["tied_head", "rest"], ["tied_latents"], OnnxAttribute.Int("axis", 2))
            .Node("Concat", ["tied_latents", "tied_latents"], [TiedSampleName], OnnxAttribute.Int("axis", 0))
            .Output(TiedSampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .ToBytes();

    /// <summary>sample [2B,8,T,16], tail_frames [1] (int64 L) -> tail [B,8,L,16]: the latents' last L frames.</summary>
    public static byte[] Tail() =>
        new OnnxGraphBuilder("audioldm_latent_tail")
            .Input(SampleName, TensorElementType.Float, "guided_batch", 8L, "frames", 16L)
            .Input(TailFramesName, TensorElementType.Int64, 1L)
            .Initializer("end", [long.MaxValue], 1)
            .Initializer("frame_axis", [2L], 1)
            .Node("Split", [SampleName], ["latents", "latents_copy"], OnnxAttribute.Int("axis", 0))
            .Node("Neg", [TailFramesName], ["start"])
            .Node("Slice", ["latents", "start", "end", "frame_axis"], [TailName])
            .Output(TailName, TensorElementType.Float, "batch", 8L, "tail_frames", 16L)
            .ToBytes();
}
