using V2AStream.Core.Generation;

namespace V2AStream.Core.Tests.Generation;

public sealed class ProceduralGeneratorTests
{
    private readonly IAudioGenerator _generator = new ProceduralGenerator();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task GenerateAsync_AnyMultiple_Gives2Point56SecondsPerMultiple(int multiple)
    {
        var audio = await _generator.GenerateAsync(Condition(1, 512), multiple, 5, CancellationToken.None);

        Assert.Equal(40960 * multiple, audio.Length);
        Assert.All(audio, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1, $"sample {s}"));
        Assert.InRange(Rms(audio), 0.05, 0.15);
    }

    [Fact]
    public async Task GenerateAsync_SameConditionAndSeed_IsIdentical()
    {
        var a = await _generator.GenerateAsync(Condition(3, 512), 1, 11, CancellationToken.None);
        var b = await _generator.GenerateAsync(Condition(3, 512), 1, 11, CancellationToken.None);

        Assert.Equal(a, b);
    }

    [Fact]
    public async Task GenerateAsync_DifferentConditions_SoundClearlyDifferent()
    {
        // Spectral distance: mean absolute difference of log band energies (dB) over 32 bands.
        var conditions = Enumerable.Range(0, 5).Select(i => Condition(100 + i, 512)).ToArray();
        var spectra = new List<double[]>();
        foreach (var condition in conditions)
        {
            spectra.Add(BandEnergiesDb(await _generator.GenerateAsync(condition, 1, 1, CancellationToken.None)));
        }

        var sameConditionOtherSeed = BandEnergiesDb(await _generator.GenerateAsync(conditions[0], 1, 2, CancellationToken.None));
        var withinCondition = Distance(spectra[0], sameConditionOtherSeed);

        for (var i = 0; i < spectra.Count; i++)
        {
            for (var j = i + 1; j < spectra.Count; j++)
            {
                var between = Distance(spectra[i], spectra[j]);
                Assert.True(between > 3 && between > 3 * withinCondition, $"conditions {i} and {j}: {between:F2} dB apart, the same condition with another seed {withinCondition:F2} dB");
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_ContinuedBlock_StartsWhereThePreviousBlockWasAtItsNominalEnd()
    {
        var scene = new BlockContinuation();
        var a = (await _generator.GenerateAsync([new BlockRequest(Condition(20, 512), 1, 3, scene)], CancellationToken.None))[0];
        var b = (await _generator.GenerateAsync([new BlockRequest(Condition(21, 512), 1, 4, scene)], CancellationToken.None))[0];
        var fresh = await _generator.GenerateAsync(Condition(21, 512), 1, 4, CancellationToken.None);

        // The overlap the stitcher crossfades (a's 60 ms past 2.5 s, b's first 60 ms) is one sound, sample for sample; b's
        // parameters move towards its own condition only after it. A fresh block of b's condition has nothing in common with it.
        Assert.True(_generator.ContinuesScenes);
        Assert.Equal(40960, b.Length);
        for (var i = 0; i < 960; i++)
        {
            Assert.True(Math.Abs(a[40000 + i] - b[i]) <= 1e-6, $"sample {i}: {a[40000 + i]} vs {b[i]}");
        }

        Assert.True(Rms(a.AsSpan(40000, 960).ToArray().Zip(fresh.Take(960)).Select(p => p.First - p.Second).ToArray()) > 0.5 * Rms(fresh.Take(960).ToArray()));
        Assert.NotEqual(fresh, b);
    }

    [Fact]
    public async Task GenerateAsync_MobileNetSizedCondition_Works()
    {
        var audio = await _generator.GenerateAsync(Condition(9, 1280), 1, 0, CancellationToken.None);

        Assert.Equal(40960, audio.Length);
    }

    [Fact]
    public async Task GenerateAsync_NonFiniteCondition_Throws()
    {
        var condition = Condition(1, 512);
        condition[7] = float.NaN;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(condition, 1, 0, CancellationToken.None));
        Assert.Contains("non-finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(Condition(1, 512), 1, 0, cts.Token));
    }

    internal static float[] Condition(int seed, int dimension)
    {
        var values = new float[dimension];
        GaussianNoise.Fill(seed, values);
        return values;
    }

    private static double Rms(float[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));

    private static double[] BandEnergiesDb(float[] samples)
    {
        // Power in 24 log-spaced bands from 60 Hz to 7.5 kHz: Goertzel power of every DFT bin inside the band,
        // summed over 1024-sample frames.
        const int frame = 1024;
        var edges = Enumerable.Range(0, 25).Select(i => 60 * Math.Pow(7500.0 / 60, i / 24.0)).ToArray();
        var result = new double[24];
        for (var band = 0; band < result.Length; band++)
        {
            var first = (int)Math.Floor(edges[band] * frame / 16000);
            var last = Math.Max(first, (int)Math.Floor(edges[band + 1] * frame / 16000) - 1);
            var total = 0.0;
            for (var bin = first; bin <= last; bin++)
            {
                var coefficient = 2 * Math.Cos(2 * Math.PI * bin / frame);
                for (var start = 0; start + frame <= samples.Length; start += frame)
                {
                    double s1 = 0, s2 = 0;
                    for (var i = 0; i < frame; i++)
                    {
                        var s0 = samples[start + i] + (coefficient * s1) - s2;
                        s2 = s1;
                        s1 = s0;
                    }

                    total += (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
                }
            }

            result[band] = 10 * Math.Log10((total / (last - first + 1)) + 1e-9);
        }

        return result;
    }

    private static double Distance(double[] a, double[] b) => a.Zip(b).Average(p => Math.Abs(p.First - p.Second));
}
