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
/// Thread-safe: each call has its own state.
/// </summary>
internal sealed class ProceduralGenerator : IAudioGenerator
{
    private const int FeatureCount = 24;
    private const int SineTableSize = 4096;
    private const float TargetRms = 0.1f;
    private const float PeakLimit = 0.95f;
    private static readonly double[] BandCentersHz = [120, 300, 700, 1500, 3000, 5500];
    private static readonly float[] SineTable = BuildSineTable();

    public string Kind => ProceduralGeneratorKind.KindName;

    public int SampleRate => BlockTiming.SampleRate;

    public int? ConditionDimension => null;

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
                    result[i] = Generate(blocks[i].Condition.Span, blocks[i].Multiple, blocks[i].Seed);
                }

                return result;
            },
            cancellationToken);
    }

    public void Dispose()
    {
    }

    /// <summary>2.56·k s of the sound bed for <paramref name="condition"/> (any length, finite values).</summary>
    internal static float[] Generate(ReadOnlySpan<float> condition, int multiple, long seed)
    {
        var output = new float[BlockTiming.GeneratedSamples(multiple)];
        var u = Features(condition);
        Synthesize(u, seed, output);
        Normalize(output);
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

    private static void Synthesize(float[] u, long seed, Span<float> output)
    {
        double fs = BlockTiming.SampleRate;
        var nyquistGuard = 0.45 * fs;

        // Spectral envelope: six band-pass biquads (RBJ cookbook, constant 0 dB peak gain) on white noise.
        var shift = Math.Pow(2, (u[7] * 2) - 1);
        var q = 0.7 + (u[6] * 5.3);
        var bands = new Biquad[BandCentersHz.Length];
        for (var k = 0; k < bands.Length; k++)
        {
            var gain = (float)Math.Pow(10, (-36 + (36 * u[k])) / 20);
            bands[k] = Biquad.BandPass(Math.Min(BandCentersHz[k] * shift, nyquistGuard), q, fs, gain);
        }

        // Levels of the three layers; squared so that conditions lean clearly towards one of them.
        var noiseLevel = 0.05f + (u[8] * u[8]);
        var toneLevel = 0.05f + (u[9] * u[9]);
        var eventLevel = 0.05f + (u[10] * u[10]);

        // Tonal partials.
        var f0 = 55 * Math.Pow(2, u[11] * 4.5);
        var partials = 1 + (int)(u[12] * 5.999);
        var increments = new float[partials];
        var amplitudes = new float[partials];
        var phases = new float[partials];
        var count = 0;
        for (var n = 1; n <= partials; n++)
        {
            var frequency = f0 * Math.Pow(n, 1 + (0.1 * u[14]));
            if (frequency >= nyquistGuard)
            {
                break;
            }

            increments[count] = (float)(frequency / fs);
            amplitudes[count] = (float)Math.Pow(n, -(0.5 + (2 * u[13])));
            phases[count] = (float)(n * 0.137 % 1.0);
            count++;
        }

        var vibratoIncrement = (float)((0.5 + (6.5 * u[15])) / fs);
        var vibratoDepth = 0.02f * u[16];
        var lfoIncrement = (float)(0.1 * Math.Pow(80, u[17]) / fs);
        var lfoDepth = 0.9f * u[18];

        // Impulsive events at jittered regular intervals (the seed sets the jitter), so every block of a
        // condition has about the same number of them.
        var eventRate = Math.Pow(15, u[19]);
        var eventDecay = (float)Math.Exp(-1.0 / (0.004 * Math.Pow(30, u[20]) * fs));
        var eventIncrement = (float)(Math.Min(150 * Math.Pow(33, u[21]), nyquistGuard) / fs);
        var eventNoise = u[22];
        var brightness = (float)(1 - Math.Exp(-2 * Math.PI * (500 + (7000 * u[23])) / fs));

        var noise = new XorShift(seed);
        var events = new XorShift(unchecked(seed ^ 0x5DEECE66DL));
        var nextEvent = NextEventGap(events, eventRate, fs);
        float envelope = 0, eventPhase = 0, vibratoPhase = 0, lfoPhase = 0, smoothed = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var white = noise.NextSigned();
            smoothed += brightness * (white - smoothed);
            var bed = 0f;
            for (var k = 0; k < bands.Length; k++)
            {
                bed += bands[k].Process(smoothed);
            }

            var vibrato = 1 + (vibratoDepth * Sine(vibratoPhase));
            vibratoPhase = Wrap(vibratoPhase + vibratoIncrement);
            var tone = 0f;
            for (var p = 0; p < count; p++)
            {
                tone += amplitudes[p] * Sine(phases[p]);
                phases[p] = Wrap(phases[p] + (increments[p] * vibrato));
            }

            if (i == nextEvent)
            {
                envelope = 1;
                nextEvent += NextEventGap(events, eventRate, fs);
            }

            var burst = envelope * ((eventNoise * white) + ((1 - eventNoise) * Sine(eventPhase)));
            eventPhase = Wrap(eventPhase + eventIncrement);
            envelope *= eventDecay;

            var modulation = 1 - (lfoDepth * 0.5f * (1 + Sine(lfoPhase)));
            lfoPhase = Wrap(lfoPhase + lfoIncrement);
            output[i] = (modulation * ((noiseLevel * 4 * bed) + (toneLevel * 0.3f * tone))) + (eventLevel * burst);
        }
    }

    private static int NextEventGap(XorShift random, double ratePerSecond, double fs) =>
        1 + (int)((0.5 + random.NextUnit()) / ratePerSecond * fs);

    private static void Normalize(Span<float> output)
    {
        var rms = TensorPrimitives.Norm(output) / MathF.Sqrt(output.Length);
        if (rms <= 0)
        {
            return;
        }

        var scale = TargetRms / rms;
        var peak = MathF.Abs(TensorPrimitives.MaxMagnitude(output)) * scale;
        if (peak > PeakLimit)
        {
            scale *= PeakLimit / peak;
        }

        TensorPrimitives.Multiply(output, scale, output);
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

        public static Biquad BandPass(double frequency, double q, double fs, float gain)
        {
            var w0 = 2 * Math.PI * frequency / fs;
            var alpha = Math.Sin(w0) / (2 * q);
            var a0 = 1 + alpha;
            return new Biquad
            {
                _b0 = (float)(gain * alpha / a0),
                _b2 = (float)(-gain * alpha / a0),
                _a1 = (float)(-2 * Math.Cos(w0) / a0),
                _a2 = (float)((1 - alpha) / a0),
            };
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
