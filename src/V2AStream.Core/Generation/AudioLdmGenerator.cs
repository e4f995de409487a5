using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
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
/// together are run as one batch.
/// <para>
/// Everything between the models runs as ONNX graphs (<see cref="SamplingGraphs"/>) on the models' device, and the
/// models are run through IOBinding on tensors allocated there: the starting noise and the condition go in once
/// per batch, the waveform comes out once, and the latents and noise predictions stay on the device (the GPU with
/// CUDA) across all steps. Per step only the timestep and the step's two DDIM coefficients are copied in. On the
/// CPU the same code runs with CPU memory. Thread-safe: runs share the sessions, not buffers.
/// </para>
/// </summary>
internal sealed class AudioLdmGenerator : IAudioGenerator
{
    private readonly UnetSession _unet;
    private readonly VaeDecoderSession _vae;
    private readonly VocoderSession _vocoder;
    private readonly ModelSession _start;
    private readonly ModelSession _step;
    private readonly ModelSession _decoderInput;
    private readonly float[] _unconditional;
    private readonly DdimScheduler _scheduler;
    private readonly float[][] _stepCoefficients;

    private AudioLdmGenerator(UnetSession unet, VaeDecoderSession vae, VocoderSession vocoder, SamplingSessions sampling, float[] unconditional, DdimScheduler scheduler)
    {
        _unet = unet;
        _vae = vae;
        _vocoder = vocoder;
        (_start, _step, _decoderInput) = sampling;
        _unconditional = Normalized(unconditional);
        _scheduler = scheduler;
        _stepCoefficients = new float[scheduler.Timesteps.Count][];
        for (var step = 0; step < _stepCoefficients.Length; step++)
        {
            var (a, b) = scheduler.Coefficients(step);
            _stepCoefficients[step] = [(float)a, (float)b];
        }
    }

    public string Kind => AudioLdmGeneratorKind.KindName;

    public int SampleRate => BlockTiming.SampleRate;

    public int? ConditionDimension => UnetSession.ConditionDimension;

    /// <summary>
    /// Opens the three models of <paramref name="files"/> and the sampling graphs through <paramref name="context"/> (so
    /// on the set's device, with its session settings, stopping between models when the load is cancelled) and reads
    /// the unconditional embedding. Throws <see cref="ModelSetException"/> naming the file and tensor at fault.
    /// </summary>
    public static AudioLdmGenerator Load(AudioLdmFiles files, GeneratorSpec spec, ModelPartContext context, IModelPartKind kind)
    {
        var unconditional = AudioLdmFiles.ReadUnconditional(files.Unconditional);
        var opened = new List<IDisposable>();
        try
        {
            var unet = new UnetSession(Open(context, kind, files.Unet, opened), files.Unet);
            var vae = new VaeDecoderSession(Open(context, kind, files.VaeDecoder, opened), files.VaeDecoder);
            var vocoder = new VocoderSession(Open(context, kind, files.Vocoder, opened), files.Vocoder);
            var sessions = context.RequireSessions(kind);
            var sampling = new SamplingSessions(
                OpenGraph(sessions, SamplingGraphs.Start(), "audioldm_start", context.SessionSettings, opened),
                OpenGraph(sessions, SamplingGraphs.Step(spec.Guidance), "audioldm_guided_ddim_step", context.SessionSettings, opened),
                OpenGraph(sessions, SamplingGraphs.DecoderInput((float)files.ScalingFactor), "audioldm_decoder_input", context.SessionSettings, opened));
            return new AudioLdmGenerator(unet, vae, vocoder, sampling, unconditional, new DdimScheduler(spec.Steps));
        }
        catch
        {
            foreach (var session in opened)
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
        _start.Dispose();
        _step.Dispose();
        _decoderInput.Dispose();
    }

    internal float[][] Generate(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        var batch = blocks.Count;
        var frames = BlockTiming.LatentFramesPerMultiple * blocks[0].Multiple;
        var latentSize = UnetSession.LatentChannels * frames * UnetSession.LatentFrequencies;
        var melFrames = 4 * frames;

        // In host memory: what goes in (the seeded starting noise, the [uncond..., cond...] labels) and what comes out.
        var noise = new float[batch * latentSize];
        var classLabels = new float[2 * batch * UnetSession.ConditionDimension];
        for (var b = 0; b < batch; b++)
        {
            GaussianNoise.Fill(blocks[b].Seed, noise.AsSpan(b * latentSize, latentSize));
            _unconditional.CopyTo(classLabels.AsSpan(b * UnetSession.ConditionDimension));
            var condition = classLabels.AsSpan((batch + b) * UnetSession.ConditionDimension, UnetSession.ConditionDimension);
            blocks[b].Condition.Span.CopyTo(condition);
            Normalize(condition);
        }

        var waveform = new float[batch * VocoderSession.HopSamples * melFrames];
        long[] latentShape = [batch, UnetSession.LatentChannels, frames, UnetSession.LatentFrequencies];
        long[] sampleShape = [2 * batch, UnetSession.LatentChannels, frames, UnetSession.LatentFrequencies];
        using var noiseIn = OrtValue.CreateTensorValueFromMemory(noise, latentShape);
        using var labelsIn = OrtValue.CreateTensorValueFromMemory(classLabels, [2 * batch, UnetSession.ConditionDimension]);
        using var waveformOut = OrtValue.CreateTensorValueFromMemory(waveform, [batch, (long)VocoderSession.HopSamples * melFrames]);

        // On the device: everything in between.
        var device = _unet.Model;
        using var labels = device.AllocateTensor(2 * batch, UnetSession.ConditionDimension);
        using var sampleA = device.AllocateTensor(sampleShape);
        using var sampleB = device.AllocateTensor(sampleShape);
        using var prediction = device.AllocateTensor(sampleShape);
        using var latent = device.AllocateTensor(latentShape);

        // One buffer seen as the VAE's [B,1,4T,64] and the vocoder's [B,4T,64] (same row-major layout); it outlives both views.
        var melBytes = (long)batch * melFrames * VaeDecoderSession.MelBins * sizeof(float);
        using var melMemory = device.Allocate(checked((uint)melBytes));
        using var vaeMel = OrtValue.CreateTensorValueWithData(melMemory.Info, TensorElementType.Float, [batch, 1, melFrames, VaeDecoderSession.MelBins], melMemory.DangerousGetHandle(), melBytes);
        using var vocoderMel = OrtValue.CreateTensorValueWithData(melMemory.Info, TensorElementType.Float, [batch, melFrames, VaeDecoderSession.MelBins], melMemory.DangerousGetHandle(), melBytes);

        using (var start = _start.Session.CreateIoBinding())
        {
            start.BindInput(SamplingGraphs.NoiseName, noiseIn);
            start.BindInput(SamplingGraphs.ClassLabelsName, labelsIn);
            start.BindOutput(SamplingGraphs.SampleName, sampleA);
            start.BindOutput(SamplingGraphs.LabelsName, labels);
            _start.Run(start, cancellationToken);
        }

        var sample = sampleA;
        var nextSample = sampleB;
        using (var unet = _unet.Bind(labels, prediction))
        using (var step = _step.Session.CreateIoBinding())
        {
            step.BindInput(SamplingGraphs.NoisePredictionName, prediction);
            for (var i = 0; i < _scheduler.Timesteps.Count; i++)
            {
                using (var timestep = _unet.Timestep(_scheduler.Timesteps[i], 2 * batch))
                {
                    _unet.Predict(unet, sample, timestep, cancellationToken);
                }

                using var coefficients = OrtValue.CreateTensorValueFromMemory(_stepCoefficients[i], [2]);
                step.BindInput(SamplingGraphs.SampleName, sample);
                step.BindInput(SamplingGraphs.CoefficientsName, coefficients);
                step.BindOutput(SamplingGraphs.NextSampleName, nextSample);
                _step.Run(step, cancellationToken);
                (sample, nextSample) = (nextSample, sample);
            }
        }

        _decoderInput.Run(SamplingGraphs.SampleName, sample, SamplingGraphs.LatentName, latent, cancellationToken);
        _vae.Decode(latent, vaeMel, cancellationToken);
        _vocoder.Vocode(vocoderMel, waveformOut, cancellationToken);

        var samplesPerBlock = waveform.Length / batch;
        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            result[b] = waveform.AsSpan(b * samplesPerBlock, samplesPerBlock).ToArray();
        }

        return result;
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

    private static ModelSession Open(ModelPartContext context, IModelPartKind kind, string path, List<IDisposable> opened)
    {
        var session = context.OpenModel(kind, path);
        opened.Add(session);
        return session;
    }

    private static ModelSession OpenGraph(OrtSessionFactory sessions, byte[] graph, string name, SessionSettings settings, List<IDisposable> opened)
    {
        var session = sessions.Open(graph, name, settings);
        opened.Add(session);
        return session;
    }

    /// <summary>The sessions of <see cref="SamplingGraphs"/>.</summary>
    private sealed record SamplingSessions(ModelSession Start, ModelSession Step, ModelSession DecoderInput);
}
