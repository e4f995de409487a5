using System.Numerics.Tensors;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Generation;

/// <summary>
/// The built-in sound bed: a deterministic DSP synthesizer whose parameters come from the condition,
/// so it needs no model file and accepts a condition of any length (512-d builtin pixel embeddings,
/// 1280-d MobileNetV2 through the identity mapper, 512-d CLAP vectors).
/// <para>
/// The condition is centred and normalized, then projected on 24 fixed pseudo-random ±1 directions
/// (hashes of feature and element index) and squashed to (0, 1). Those 24 numbers set: the gains of
/// six resonant noise bands (the spectral envelope) and their Q and shift; a tone of 1–6 partials (pitch,
/// tilt, inharmonicity, vibrato); amplitude modulation (rate, depth); and impulsive events (rate, decay,
/// pitch, noisiness). The seed drives only the noise and the event times, so one condition keeps its
/// character across blocks and seeds, and different conditions differ in spectrum and texture.
/// </para>
/// <para>
/// It continues scenes: a block with a <see cref="BlockContinuation"/> that already holds a voice goes on from the
/// previous block's nominal end, with its oscillators, filters, noise generators and output gain as they were there,
/// and moves its 24 numbers and its gain in a straight line from where they were to the new condition's over its
/// nominal length (holding them past it), so a scene's sound changes as smoothly inside blocks as across them. The
/// ramps start after the first 60 ms, where a continued block repeats the previous block's tail sample for sample, so
/// the stitcher's crossfade between the two joins one sound.
/// </para>
/// Thread-safe: each call has its own state.
/// </summary>
internal sealed class ProceduralGenerator : IAudioGenerator
{
    private const int FeatureCount = 24;
    private const int SineTableSize = 4096;
    private const int MaxPartials = 6;
    private const int ControlSamples = 64;
    private const float TargetRms = 0.1f;
    private const float PeakLimit = 0.95f;
    private static readonly double[] BandCentersHz = [120, 300, 700, 1500, 3000, 5500];
    private static readonly float[] SineTable = BuildSineTable();

    public string Kind => ProceduralGeneratorKind.KindName;

    public int SampleRate => BlockTiming.SampleRate;

    public int? ConditionDimension => null;

    public bool ContinuesScenes => true;

    public Task<float[][]> GenerateAsync(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var block in blocks)
        {
            ConditionValidation.Check(block.Condition.Span, null);
        }

        return Task.Run(
            () =>
            {
                var result = new float[blocks.Count][];
                for (var i = 0; i < blocks.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    result[i] = Generate(blocks[i].Condition.Span, blocks[i].Multiple, blocks[i].Seed, blocks[i].Continuation);
                }

                return result;
            },
            cancellationToken);
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// 2.56·k s of the sound bed for <paramref name="condition"/> (any length, finite values); with
    /// <paramref name="continuation"/>, going on from its previous block and leaving this block's voice for the next.
    /// </summary>
    internal static float[] Generate(ReadOnlySpan<float> condition, int multiple, long seed, BlockContinuation? continuation = null)
    {
        var output = new float[BlockTiming.GeneratedSamples(multiple)];
        var nominal = BlockTiming.NominalSamples(multiple);
        var target = Features(condition);
        var previous = continuation?.State as Voice;
        var voice = previous?.Clone() ?? Voice.Start(target, seed);
        var from = (float[])voice.Features.Clone();

        // The ramp starts after the overlap the stitcher crossfades, where this block repeats the previous one's tail.
        var ramp = (Start: output.Length - nominal, End: nominal);
        Synthesize(voice, from, target, 0, nominal, ramp, output);
        target.CopyTo(voice.Features, 0);
        var handOff = voice.Clone();
        Synthesize(voice, target, target, nominal, output.Length, ramp, output);
        handOff.Gain = Normalize(output, previous?.Gain, ramp);
        if (continuation is not null)
        {
            continuation.State = handOff;
        }

        return output;
    }

    /// <summary>The 24 condition features in (0, 1).</summary>
    internal static float[] Features(ReadOnlySpan<float> condition)
    {
        var centred = new float[condition.Length];
        TensorPrimitives.Subtract(condition, TensorPrimitives.Sum(condition) / condition.Length, centred);
        var norm = TensorPrimitives.Norm(centred);
        var features = new float[FeatureCount];
        for (var f = 0; f < FeatureCount; f++)
        {
            var sum = 0.0;
            if (norm > 0)
            {
                for (var j = 0; j < centred.Length; j++)
                {
                    // A fixed ±1 direction per feature: the low bit of a hash of (feature, element).
                    var sign = (GaussianNoise.Mix(((ulong)f << 32) | (uint)j) & 1) == 0 ? 1.0 : -1.0;
                    sum += sign * centred[j];
                }

                sum /= norm;
            }

            features[f] = (float)(0.5 + (0.5 * Math.Tanh(2.0 * sum)));
        }

        return features;
    }

    /// <summary>
    /// Samples [<paramref name="begin"/>, <paramref name="end"/>) of the block into <paramref name="output"/>, the features
    /// at <paramref name="from"/> until the ramp starts, moving in a straight line to <paramref name="to"/> at its end and
    /// held there, the synthesis parameters following them every <see cref="ControlSamples"/> samples.
    /// </summary>
    private static void Synthesize(Voice voice, float[] from, float[] to, int begin, int end, (int Start, int End) ramp, Span<float> output)
    {
        var u = new float[FeatureCount];
        var parameters = new Parameters();
        for (var control = begin; control < end; control += ControlSamples)
        {
            var progress = Math.Clamp((float)(control - ramp.Start) / (ramp.End - ramp.Start), 0f, 1f);
            for (var f = 0; f < FeatureCount; f++)
            {
                u[f] = from[f] + ((to[f] - from[f]) * progress);
            }

            parameters.Set(u, voice);
            u.CopyTo(voice.Features, 0);
            Run(voice, parameters, output[control..Math.Min(end, control + ControlSamples)]);
        }
    }

    private static void Run(Voice voice, Parameters p, Span<float> output)
    {
        // The voice's scalars in locals for the loop (registers, not fields), written back at the end.
        var bands = voice.Bands;
        var phases = voice.Phases;
        var noise = voice.Noise;
        var events = voice.Events;
        var samplesToEvent = voice.SamplesToEvent;
        var smoothed = voice.Smoothed;
        var envelope = voice.Envelope;
        var eventPhase = voice.EventPhase;
        var vibratoPhase = voice.VibratoPhase;
        var lfoPhase = voice.LfoPhase;
        for (var i = 0; i < output.Length; i++)
        {
            var white = noise.NextSigned();
            smoothed += p.Brightness * (white - smoothed);
            var bed = 0f;
            for (var k = 0; k < bands.Length; k++)
            {
                bed += bands[k].Process(smoothed);
            }

            var vibrato = 1 + (p.VibratoDepth * Sine(vibratoPhase));
            vibratoPhase = Wrap(vibratoPhase + p.VibratoIncrement);
            var tone = 0f;
            for (var n = 0; n < MaxPartials; n++)
            {
                tone += p.Amplitudes[n] * Sine(phases[n]);
                phases[n] = Wrap(phases[n] + (p.Increments[n] * vibrato));
            }

            if (--samplesToEvent <= 0)
            {
                envelope = 1;
                samplesToEvent = NextEventGap(ref events, p.EventRate, BlockTiming.SampleRate);
            }

            var burst = envelope * ((p.EventNoise * white) + ((1 - p.EventNoise) * Sine(eventPhase)));
            eventPhase = Wrap(eventPhase + p.EventIncrement);
            envelope *= p.EventDecay;

            var modulation = 1 - (p.LfoDepth * 0.5f * (1 + Sine(lfoPhase)));
            lfoPhase = Wrap(lfoPhase + p.LfoIncrement);
            output[i] = (modulation * ((p.NoiseLevel * 4 * bed) + (p.ToneLevel * 0.3f * tone))) + (p.EventLevel * burst);
        }

        voice.Noise = noise;
        voice.Events = events;
        voice.SamplesToEvent = samplesToEvent;
        voice.Smoothed = smoothed;
        voice.Envelope = envelope;
        voice.EventPhase = eventPhase;
        voice.VibratoPhase = vibratoPhase;
        voice.LfoPhase = lfoPhase;
    }

    private static int NextEventGap(ref XorShift random, double ratePerSecond, double fs) =>
        1 + (int)((0.5 + random.NextUnit()) / ratePerSecond * fs);

    /// <summary>
    /// Scales the block to <see cref="TargetRms"/> under <see cref="PeakLimit"/>; after a previous block, the gain stays at
    /// <paramref name="previousGain"/> until the ramp starts and moves in a straight line to this block's by its end (samples
    /// the ramp would push past the limit are held at it). Returns this block's gain.
    /// </summary>
    private static float Normalize(Span<float> output, float? previousGain, (int Start, int End) ramp)
    {
        var rms = TensorPrimitives.Norm(output) / MathF.Sqrt(output.Length);
        if (rms <= 0)
        {
            return previousGain ?? 1;
        }

        var scale = TargetRms / rms;
        var peak = MathF.Abs(TensorPrimitives.MaxMagnitude(output)) * scale;
        if (peak > PeakLimit)
        {
            scale *= PeakLimit / peak;
        }

        if (previousGain is not { } start)
        {
            TensorPrimitives.Multiply(output, scale, output);
            return scale;
        }

        for (var i = 0; i < output.Length; i++)
        {
            var gain = start + ((scale - start) * Math.Clamp((float)(i - ramp.Start) / (ramp.End - ramp.Start), 0f, 1f));
            output[i] = Math.Clamp(output[i] * gain, -PeakLimit, PeakLimit);
        }

        return scale;
    }

    private static float Wrap(float phase) => phase >= 1f ? phase - 1f : phase;

    /// <summary>sin(2π·phase) for phase in [0, 1), by linear interpolation in a 4096-entry table.</summary>
    private static float Sine(float phase)
    {
        var position = phase * SineTableSize;
        var index = (int)position;
        var fraction = position - index;
        return SineTable[index] + (fraction * (SineTable[index + 1] - SineTable[index]));
    }

    private static float[] BuildSineTable()
    {
        var table = new float[SineTableSize + 2];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (float)Math.Sin(2 * Math.PI * i / SineTableSize);
        }

        return table;
    }

    /// <summary>Everything a block hands to the next one of its scene: where its features are, its oscillators, filters and noise.</summary>
    private sealed class Voice
    {
        public float[] Features { get; private init; } = new float[FeatureCount];

        public Biquad[] Bands { get; private init; } = new Biquad[BandCentersHz.Length];

        public float[] Phases { get; private init; } = new float[MaxPartials];

        public XorShift Noise;

        public XorShift Events;

        public int SamplesToEvent { get; set; }

        public float Smoothed { get; set; }

        public float Envelope { get; set; }

        public float EventPhase { get; set; }

        public float VibratoPhase { get; set; }

        public float LfoPhase { get; set; }

        /// <summary>The output gain at the hand-off point.</summary>
        public float Gain { get; set; }

        /// <summary>A scene's first voice: at <paramref name="features"/>, the seed choosing its noise and event times.</summary>
        public static Voice Start(float[] features, long seed)
        {
            var voice = new Voice { Noise = new XorShift(seed), Events = new XorShift(unchecked(seed ^ 0x5DEECE66DL)) };
            features.CopyTo(voice.Features, 0);
            for (var n = 0; n < MaxPartials; n++)
            {
                voice.Phases[n] = (float)((n + 1) * 0.137 % 1.0);
            }

            voice.SamplesToEvent = NextEventGap(ref voice.Events, EventRate(features), BlockTiming.SampleRate);
            return voice;
        }

        public Voice Clone() => new()
        {
            Features = (float[])Features.Clone(),
            Bands = (Biquad[])Bands.Clone(),
            Phases = (float[])Phases.Clone(),
            Noise = Noise,
            Events = Events,
            SamplesToEvent = SamplesToEvent,
            Smoothed = Smoothed,
            Envelope = Envelope,
            EventPhase = EventPhase,
            VibratoPhase = VibratoPhase,
            LfoPhase = LfoPhase,
            Gain = Gain,
        };
    }

    private static double EventRate(float[] u) => 4 * Math.Pow(4, u[19]);

    /// <summary>The synthesis parameters for one control period, from the 24 features.</summary>
    private sealed class Parameters
    {
        public float[] Increments { get; } = new float[MaxPartials];

        public float[] Amplitudes { get; } = new float[MaxPartials];

        public float NoiseLevel { get; private set; }

        public float ToneLevel { get; private set; }

        public float EventLevel { get; private set; }

        public float VibratoIncrement { get; private set; }

        public float VibratoDepth { get; private set; }

        public float LfoIncrement { get; private set; }

        public float LfoDepth { get; private set; }

        public double EventRate { get; private set; }

        public float EventDecay { get; private set; }

        public float EventIncrement { get; private set; }

        public float EventNoise { get; private set; }

        public float Brightness { get; private set; }

        /// <summary>Sets the parameters for features <paramref name="u"/> and retunes <paramref name="voice"/>'s band filters.</summary>
        public void Set(float[] u, Voice voice)
        {
            double fs = BlockTiming.SampleRate;
            var nyquistGuard = 0.45 * fs;

            // Spectral envelope: six band-pass biquads on white noise.
            var shift = Math.Pow(2, (u[7] * 2) - 1);
            var q = 0.7 + (u[6] * 5.3);
            for (var k = 0; k < voice.Bands.Length; k++)
            {
                var gain = (float)Math.Pow(10, (-36 + (36 * u[k])) / 20);
                voice.Bands[k].SetBandPass(Math.Min(BandCentersHz[k] * shift, nyquistGuard), q, fs, gain);
            }

            // Levels of the three layers; squared so that conditions lean clearly towards one of them.
            NoiseLevel = 0.05f + (u[8] * u[8]);
            ToneLevel = 0.05f + (u[9] * u[9]);
            EventLevel = 0.05f + (0.35f * u[10] * u[10]);

            // Tonal partials: 1 to 6, the last one fading in as the count grows, so the count moves without a step.
            var f0 = 55 * Math.Pow(2, u[11] * 4.5);
            var partials = 1 + (u[12] * 5);
            for (var n = 1; n <= MaxPartials; n++)
            {
                var frequency = f0 * Math.Pow(n, 1 + (0.1 * u[14]));
                var weight = frequency >= nyquistGuard ? 0 : Math.Clamp(partials - (n - 1), 0, 1);
                Increments[n - 1] = (float)(Math.Min(frequency, nyquistGuard) / fs);
                Amplitudes[n - 1] = (float)(weight * Math.Pow(n, -(0.5 + (2 * u[13]))));
            }

            VibratoIncrement = (float)((0.5 + (6.5 * u[15])) / fs);
            VibratoDepth = 0.02f * u[16];
            LfoIncrement = (float)(0.1 * Math.Pow(80, u[17]) / fs);
            LfoDepth = 0.45f * u[18];

            // Impulsive events at jittered regular intervals (the seed sets the jitter), so every block of a
            // condition has about the same number of them.
            EventRate = ProceduralGenerator.EventRate(u);
            EventDecay = (float)Math.Exp(-1.0 / (0.004 * Math.Pow(30, u[20]) * fs));
            EventIncrement = (float)(Math.Min(150 * Math.Pow(33, u[21]), nyquistGuard) / fs);
            EventNoise = u[22];
            Brightness = (float)(1 - Math.Exp(-2 * Math.PI * (500 + (7000 * u[23])) / fs));
        }
    }

    /// <summary>Marsaglia's xorshift64* (fast, seedable, the same everywhere).</summary>
    private struct XorShift(long seed)
    {
        private ulong _state = GaussianNoise.Mix(unchecked((ulong)seed)) | 1;

        public float NextSigned() => (float)((Next() >> 40) * (2.0 / (1UL << 24))) - 1f;

        public double NextUnit() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));

        private ulong Next()
        {
            _state ^= _state >> 12;
            _state ^= _state << 25;
            _state ^= _state >> 27;
            return unchecked(_state * 0x2545F4914F6CDD1DUL);
        }
    }

    private struct Biquad
    {
        private float _b0, _b2, _a1, _a2, _z1, _z2;

        /// <summary>A band-pass (RBJ cookbook, constant 0 dB peak gain, times <paramref name="gain"/>); the filter's state is kept.</summary>
        public void SetBandPass(double frequency, double q, double fs, float gain)
        {
            var w0 = 2 * Math.PI * frequency / fs;
            var alpha = Math.Sin(w0) / (2 * q);
            var a0 = 1 + alpha;
            _b0 = (float)(gain * alpha / a0);
            _b2 = (float)(-gain * alpha / a0);
            _a1 = (float)(-2 * Math.Cos(w0) / a0);
            _a2 = (float)((1 - alpha) / a0);
        }

        /// <summary>Transposed direct form II (b1 = 0 for a band-pass).</summary>
        public float Process(float x)
        {
            var y = (_b0 * x) + _z1;
            _z1 = -(_a1 * y) + _z2;
            _z2 = (_b2 * x) - (_a2 * y);
            return y;
        }
    }
}
