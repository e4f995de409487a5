using System.Numerics.Tensors;
using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>
/// AudioLDM over ONNX Runtime, following diffusers' AudioLDMPipeline: the latent [B,8,64k,16] starts as
/// seeded N(0,1) noise (<see cref="GaussianNoise"/>, one seed per block, init sigma 1); each DDIM step
/// runs the UNet once on the batch [uncond, cond] (2B rows) and mixes ε = ε_u + g·(ε_c - ε_u); the
/// final latent is divided by the VAE scaling factor (clipped to [-10, 10] first if its magnitude exceeds
/// 100, as the original AudioLDM does), decoded to a mel, and vocoded to 40960·k samples at 16 kHz.
/// Conditions are L2-normalized (AudioLDM was trained on normalized CLAP embeddings). Blocks passed
/// together are run as one batch. Thread-safe: runs share the sessions, not buffers.
/// </summary>
internal sealed class AudioLdmGenerator : IAudioGenerator
{
    private readonly UnetSession _unet;
    private readonly VaeDecoderSession _vae;
    private readonly VocoderSession _vocoder;
    private readonly float[] _unconditional;
    private readonly float _scalingFactor;
    private readonly DdimScheduler _scheduler;
    private readonly float _guidance;

    public AudioLdmGenerator(UnetSession unet, VaeDecoderSession vae, VocoderSession vocoder, float[] unconditional, double scalingFactor, int steps, float guidance)
    {
        if (unconditional.Length != UnetSession.ConditionDimension)
        {
            throw new ArgumentException($"The unconditional embedding must have {UnetSession.ConditionDimension} values.", nameof(unconditional));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scalingFactor);
        _unet = unet;
        _vae = vae;
        _vocoder = vocoder;
        _unconditional = Normalized(unconditional);
        _scalingFactor = (float)scalingFactor;
        _scheduler = new DdimScheduler(steps);
        _guidance = guidance;
    }

    public string Kind => GeneratorSpec.AudioLdmKind;

    public int SampleRate => BlockTiming.SampleRate;

    public int? ConditionDimension => UnetSession.ConditionDimension;

    /// <summary>Loads the three models and the unconditional embedding the manifest names.</summary>
    public static AudioLdmGenerator Load(OrtRuntime runtime, GeneratorSpec spec, string directory, InferenceSessionOptions? options = null)
    {
        var files = AudioLdmFiles.Resolve(spec, directory);
        var unconditional = AudioLdmFiles.ReadUnconditional(files.Unconditional);
        var sessions = new List<IDisposable>();
        try
        {
            var unet = new UnetSession(Open(runtime, files.Unet, options, sessions), files.Unet);
            var vae = new VaeDecoderSession(Open(runtime, files.VaeDecoder, options, sessions), files.VaeDecoder);
            var vocoder = new VocoderSession(Open(runtime, files.Vocoder, options, sessions), files.Vocoder);
            return new AudioLdmGenerator(unet, vae, vocoder, unconditional, files.ScalingFactor, spec.Steps, spec.Guidance);
        }
        catch
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            throw;
        }
    }

    public Task<float[][]> GenerateAsync(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            return Task.FromResult(Array.Empty<float[]>());
        }

        foreach (var block in blocks)
        {
            ConditionValidation.Check(block.Condition.Span, UnetSession.ConditionDimension);
            if (block.Multiple != blocks[0].Multiple)
            {
                throw new ArgumentException("Blocks generated in one batch must share one multiple.", nameof(blocks));
            }
        }

        return Task.Run(() => Generate(blocks, cancellationToken), cancellationToken);
    }

    public void Dispose()
    {
        _unet.Dispose();
        _vae.Dispose();
        _vocoder.Dispose();
    }

    internal float[][] Generate(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        var batch = blocks.Count;
        var frames = BlockTiming.LatentFramesPerMultiple * blocks[0].Multiple;
        var latentSize = UnetSession.LatentChannels * frames * UnetSession.LatentFrequencies;
        var latents = new float[batch * latentSize];
        var classLabels = new float[2 * batch * UnetSession.ConditionDimension];
        for (var b = 0; b < batch; b++)
        {
            GaussianNoise.Fill(blocks[b].Seed, latents.AsSpan(b * latentSize, latentSize));
            _unconditional.CopyTo(classLabels.AsSpan(b * UnetSession.ConditionDimension));
            var condition = classLabels.AsSpan((batch + b) * UnetSession.ConditionDimension, UnetSession.ConditionDimension);
            blocks[b].Condition.Span.CopyTo(condition);
            Normalize(condition);
        }

        var sample = new float[2 * latents.Length];
        var noise = new float[2 * latents.Length];
        var guided = new float[latents.Length];
        for (var step = 0; step < _scheduler.Timesteps.Count; step++)
        {
            Denoise(step, latents, sample, noise, guided, classLabels, batch, frames, cancellationToken);
        }

        PrepareForDecoder(latents);
        var mel = _vae.Decode(latents, batch, frames, cancellationToken);

        // [B,1,4T,64] and [B,4T,64] have the same row-major layout.
        var waveform = _vocoder.Vocode(mel, batch, 4 * frames, cancellationToken);
        var samplesPerBlock = waveform.Length / batch;
        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            result[b] = waveform.AsSpan(b * samplesPerBlock, samplesPerBlock).ToArray();
        }

        return result;
    }

    /// <summary>One sampling step: UNet on [latents, latents] with [uncond, cond], guidance, DDIM update.</summary>
    internal void Denoise(int step, float[] latents, float[] sample, float[] noise, float[] guided, float[] classLabels, int batch, int frames, CancellationToken cancellationToken)
    {
        latents.CopyTo(sample, 0);
        latents.CopyTo(sample, latents.Length);
        _unet.Predict(sample, 2 * batch, frames, _scheduler.Timesteps[step], classLabels, noise, cancellationToken);
        var unconditional = noise.AsSpan(0, latents.Length);
        var conditional = noise.AsSpan(latents.Length, latents.Length);

        // ε = ε_u + g·(ε_c - ε_u)  (diffusers AudioLDMPipeline.__call__, do_classifier_free_guidance)
        TensorPrimitives.Subtract(conditional, unconditional, guided);
        TensorPrimitives.MultiplyAdd(guided, _guidance, unconditional, guided);
        _scheduler.Step(step, guided, latents);
    }

    private void PrepareForDecoder(float[] latents)
    {
        if (MathF.Abs(TensorPrimitives.MaxMagnitude(latents)) > 100)
        {
            TensorPrimitives.Clamp(latents, -10f, 10f, latents);
        }

        TensorPrimitives.Divide(latents, _scalingFactor, latents);
    }

    private static float[] Normalized(float[] vector)
    {
        var copy = (float[])vector.Clone();
        Normalize(copy);
        return copy;
    }

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    private static InferenceSession Open(OrtRuntime runtime, string path, InferenceSessionOptions? options, List<IDisposable> opened)
    {
        InferenceSession session;
        try
        {
            session = InferenceSession.Create(runtime, path, options);
        }
        catch (OrtException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path} cannot be loaded by ONNX Runtime: {ex.Message}", path, innerException: ex);
        }

        opened.Add(session);
        return session;
    }
}
