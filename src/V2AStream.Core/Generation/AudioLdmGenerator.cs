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
/// <para>
/// Latent continuation within a scene, the way AudioLDM continues audio (inpainting with a mask in its DDIM sampler): a
/// block with a <see cref="BlockContinuation"/> leaves its last <see cref="BlockTiming.ContinuationLatentFrames"/> latent
/// frames there; the scene's next block starts its latent on the previous one's frame grid so that its first frames lie on
/// those, and before every UNet run they are replaced by the previous block's frames noised to the step's level
/// (<see cref="SamplingGraphs.Tie"/>, with the block's own starting noise), so the UNet generates the rest to fit them.
/// The new block's audio then starts <see cref="BlockTiming.ContinuationLeadSamples"/> into its latent.
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
    private readonly ModelSession _tie;
    private readonly ModelSession _tail;
    private readonly float[] _unconditional;
    private readonly DdimScheduler _scheduler;
    private readonly float[][] _stepCoefficients;
    private readonly float[][] _tieLevels;

    private AudioLdmGenerator(UnetSession unet, VaeDecoderSession vae, VocoderSession vocoder, SamplingSessions sampling, float[] unconditional, DdimScheduler scheduler)
    {
        _unet = unet;
        _vae = vae;
        _vocoder = vocoder;
        (_start, _step, _decoderInput, _tie, _tail) = sampling;
        _unconditional = Normalized(unconditional);
        _scheduler = scheduler;
        _stepCoefficients = new float[scheduler.Timesteps.Count][];
        for (var step = 0; step < _stepCoefficients.Length; step++)
        {
            var (a, b) = scheduler.Coefficients(step);
            _stepCoefficients[step] = [(float)a, (float)b];
        }

        _tieLevels = scheduler.Timesteps.Select(t => new[] { (float)Math.Sqrt(scheduler.AlphaCumprod(t)), (float)Math.Sqrt(1 - scheduler.AlphaCumprod(t)) }).ToArray();
    }

    public string Kind => AudioLdmGeneratorKind.KindName;

    public int SampleRate => BlockTiming.SampleRate;

    public int? ConditionDimension => UnetSession.ConditionDimension;

    public bool ContinuesScenes => true;

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
                OpenGraph(sessions, SamplingGraphs.DecoderInput((float)files.ScalingFactor), "audioldm_decoder_input", context.SessionSettings, opened),
                OpenGraph(sessions, SamplingGraphs.Tie(), "audioldm_latent_tie", context.SessionSettings, opened),
                OpenGraph(sessions, SamplingGraphs.Tail(), "audioldm_latent_tail", context.SessionSettings, opened));
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
        _tie.Dispose();
        _tail.Dispose();
    }

    internal float[][] Generate(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        var batch = blocks.Count;
        var multiple = blocks[0].Multiple;
        var frames = BlockTiming.LatentFramesPerMultiple * multiple;
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

        // The blocks that go on from the previous block of their scene, and what they are tied to (null when none is).
        var tieFrames = BlockTiming.ContinuationLatentFrames(multiple);
        using var tie = TieInputs(blocks, noise, frames, tieFrames);

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
        using (var tieStep = tie is null ? null : BindTie(tie))
        {
            step.BindInput(SamplingGraphs.NoisePredictionName, prediction);
            for (var i = 0; i < _scheduler.Timesteps.Count; i++)
            {
                if (tieStep is not null)
                {
                    (sample, nextSample) = RunOnSample(_tie, tieStep, SamplingGraphs.LevelName, _tieLevels[i], SamplingGraphs.TiedSampleName, sample, nextSample, cancellationToken);
                }

                using (var timestep = _unet.Timestep(_scheduler.Timesteps[i], 2 * batch))
                {
                    _unet.Predict(unet, sample, timestep, cancellationToken);
                }

                (sample, nextSample) = RunOnSample(_step, step, SamplingGraphs.CoefficientsName, _stepCoefficients[i], SamplingGraphs.NextSampleName, sample, nextSample, cancellationToken);
            }
        }

        KeepTails(blocks, sample, multiple, cancellationToken);
        _decoderInput.Run(SamplingGraphs.SampleName, sample, SamplingGraphs.LatentName, latent, cancellationToken);
        _vae.Decode(latent, vaeMel, cancellationToken);
        _vocoder.Vocode(vocoderMel, waveformOut, cancellationToken);

        var samplesPerBlock = waveform.Length / batch;
        var lead = BlockTiming.ContinuationLeadSamples(multiple);
        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var skip = tie?.Tied[b] == true ? lead : 0;
            result[b] = waveform.AsSpan((b * samplesPerBlock) + skip, samplesPerBlock - skip).ToArray();
        }

        return result;
    }

    /// <summary>
    /// One run of a per-step graph on the device: <paramref name="sample"/> and the step's two numbers in, <paramref name="next"/>
    /// out; returns the two buffers swapped (the result first).
    /// </summary>
    private static (OrtValue Sample, OrtValue Next) RunOnSample(ModelSession graph, OrtIoBinding binding, string numbersName, float[] numbers, string outputName, OrtValue sample, OrtValue next, CancellationToken cancellationToken)
    {
        using var values = OrtValue.CreateTensorValueFromMemory(numbers, [2]);
        binding.BindInput(SamplingGraphs.SampleName, sample);
        binding.BindInput(numbersName, values);
        binding.BindOutput(outputName, next);
        graph.Run(binding, cancellationToken);
        return (next, sample);
    }

    /// <summary>
    /// The tie's inputs for a batch in which some block continues its scene (null when none does): for each block the
    /// previous block's last <paramref name="tieFrames"/> latent frames, its own starting noise over its first ones, and
    /// whether it is tied.
    /// </summary>
    private static TieTensors? TieInputs(IReadOnlyList<BlockRequest> blocks, float[] noise, int frames, int tieFrames)
    {
        var multiple = blocks[0].Multiple;
        var tails = blocks.Select(b => b.Continuation?.State is LatentTail tail && tail.Multiple == multiple ? tail : null).ToArray();
        if (tails.All(t => t is null))
        {
            return null;
        }

        var batch = blocks.Count;
        var latentSize = UnetSession.LatentChannels * frames * UnetSession.LatentFrequencies;
        var tieSize = UnetSession.LatentChannels * tieFrames * UnetSession.LatentFrequencies;
        var row = tieFrames * UnetSession.LatentFrequencies;
        var known = new float[batch * tieSize];
        var knownNoise = new float[batch * tieSize];
        var mask = new float[batch];
        for (var b = 0; b < batch; b++)
        {
            if (tails[b] is not { } tail)
            {
                continue;
            }

            mask[b] = 1;
            tail.Frames.CopyTo(known.AsSpan(b * tieSize, tieSize));
            for (var c = 0; c < UnetSession.LatentChannels; c++)
            {
                noise.AsSpan((b * latentSize) + (c * frames * UnetSession.LatentFrequencies), row).CopyTo(knownNoise.AsSpan((b * tieSize) + (c * row), row));
            }
        }

        long[] shape = [batch, UnetSession.LatentChannels, tieFrames, UnetSession.LatentFrequencies];
        return new TieTensors(
            OrtValue.CreateTensorValueFromMemory(known, shape),
            OrtValue.CreateTensorValueFromMemory(knownNoise, shape),
            OrtValue.CreateTensorValueFromMemory(mask, [batch, 1, 1, 1]),
            tails.Select(t => t is not null).ToArray());
    }

    private OrtIoBinding BindTie(TieTensors tie)
    {
        var binding = _tie.Session.CreateIoBinding();
        binding.BindInput(SamplingGraphs.KnownName, tie.Known);
        binding.BindInput(SamplingGraphs.KnownNoiseName, tie.KnownNoise);
        binding.BindInput(SamplingGraphs.TieMaskName, tie.Mask);
        return binding;
    }

    /// <summary>Leaves each continued block's last latent frames (of the final <paramref name="sample"/>) for the next block of its scene.</summary>
    private void KeepTails(IReadOnlyList<BlockRequest> blocks, OrtValue sample, int multiple, CancellationToken cancellationToken)
    {
        if (blocks.All(b => b.Continuation is null))
        {
            return;
        }

        var tieFrames = BlockTiming.ContinuationLatentFrames(multiple);
        var tieSize = UnetSession.LatentChannels * tieFrames * UnetSession.LatentFrequencies;
        var tails = new float[blocks.Count * tieSize];
        using var count = OrtValue.CreateTensorValueFromMemory(new long[] { tieFrames }, [1]);
        using var tailsOut = OrtValue.CreateTensorValueFromMemory(tails, [blocks.Count, UnetSession.LatentChannels, tieFrames, UnetSession.LatentFrequencies]);
        using (var binding = _tail.Session.CreateIoBinding())
        {
            binding.BindInput(SamplingGraphs.SampleName, sample);
            binding.BindInput(SamplingGraphs.TailFramesName, count);
            binding.BindOutput(SamplingGraphs.TailName, tailsOut);
            _tail.Run(binding, cancellationToken);
        }

        for (var b = 0; b < blocks.Count; b++)
        {
            if (blocks[b].Continuation is { } continuation)
            {
                continuation.State = new LatentTail(multiple, tails.AsSpan(b * tieSize, tieSize).ToArray());
            }
        }
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
    private sealed record SamplingSessions(ModelSession Start, ModelSession Step, ModelSession DecoderInput, ModelSession Tie, ModelSession Tail);

    /// <summary>A block's last latent frames [8, L, 16] (L for its multiple), for the next block of its scene.</summary>
    private sealed record LatentTail(int Multiple, float[] Frames);

    /// <summary>The tie graph's per-batch inputs, in host memory, and which blocks are tied.</summary>
    private sealed class TieTensors(OrtValue known, OrtValue knownNoise, OrtValue mask, bool[] tied) : IDisposable
    {
        public OrtValue Known { get; } = known;

        public OrtValue KnownNoise { get; } = knownNoise;

        public OrtValue Mask { get; } = mask;

        public bool[] Tied { get; } = tied;

        public void Dispose()
        {
            Known.Dispose();
            KnownNoise.Dispose();
            Mask.Dispose();
        }
    }
}
