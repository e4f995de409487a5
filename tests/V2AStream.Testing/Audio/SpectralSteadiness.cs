namespace V2AStream.Testing.Audio;

/// <summary>
/// How much a sound's character changes at cuts, at the block boundaries inside scenes and inside blocks (issue 17,
/// item 8): the spectral change at time c is the RMS difference of the natural log of the energies in 24 log-spaced
/// bands (50 Hz to the Nyquist frequency) between two Hann windows of 4096 samples centred 0.05 s before and after c,
/// so 0.1 s apart. At each cut and each in-scene block boundary it is taken once, centred on it (a boundary whose windows
/// reach a cut is left out: they measure the cut); inside blocks on a 0.1 s grid wherever neither window touches a cut or
/// a block boundary. Steady sound within a scene has boundary /
/// inside near 1; a clearly audible cut has cut / inside well above it. Used by the pipeline test and bench/Steadiness.
/// </summary>
public static class SpectralSteadiness
{
    public const int WindowSamples = 4096;
    public const int BandCount = 24;
    public const double PairSpacingSeconds = 0.1;
    public const double LowestBandHz = 50;

    /// <summary>
    /// The three means for mono <paramref name="samples"/> at <paramref name="sampleRate"/>: <paramref name="cutSeconds"/>
    /// are the scene starts after the first, and in-scene block boundaries lie every <paramref name="blockSeconds"/>
    /// from each scene's start (the block planner's grid). Places too close to the ends for both windows are skipped.
    /// </summary>
    public static SteadinessFigures Measure(ReadOnlySpan<float> samples, int sampleRate, IReadOnlyList<double> cutSeconds, double blockSeconds = 2.5)
    {
        var (cuts, boundaries, inside) = PlacesOf((double)samples.Length / sampleRate, sampleRate, cutSeconds, blockSeconds);
        var cutChanges = Changes(samples, sampleRate, cuts);
        var boundaryChanges = Changes(samples, sampleRate, boundaries);
        var insideChanges = Changes(samples, sampleRate, inside);
        return new SteadinessFigures(Mean(cutChanges), Mean(boundaryChanges), Mean(insideChanges), cutChanges.Count, boundaryChanges.Count, insideChanges.Count);
    }

    /// <summary>Each cut's and each measured block boundary's change, in time order ("cut" or "boundary", seconds, change), to see where a mean comes from.</summary>
    public static List<(string Kind, double Seconds, double Change)> Places(ReadOnlySpan<float> samples, int sampleRate, IReadOnlyList<double> cutSeconds, double blockSeconds = 2.5)
    {
        var (cuts, boundaries, _) = PlacesOf((double)samples.Length / sampleRate, sampleRate, cutSeconds, blockSeconds);
        var result = new List<(string Kind, double Seconds, double Change)>();
        foreach (var (kind, at) in cuts.Select(c => ("cut", c)).Concat(boundaries.Select(b => ("boundary", b))).OrderBy(p => p.Item2))
        {
            if (Changes(samples, sampleRate, [at]) is [var change])
            {
                result.Add((kind, at, change));
            }
        }

        return result;
    }

    private static (List<double> Cuts, List<double> Boundaries, List<double> Inside) PlacesOf(double duration, int sampleRate, IReadOnlyList<double> cutSeconds, double blockSeconds)
    {
        var boundaries = new List<double>();
        var sceneStarts = new List<double> { 0 };
        sceneStarts.AddRange(cutSeconds.Where(c => c > 0 && c < duration).Order());
        for (var s = 0; s < sceneStarts.Count; s++)
        {
            var end = s + 1 < sceneStarts.Count ? sceneStarts[s + 1] : duration;
            for (var b = sceneStarts[s] + blockSeconds; b < end - 1e-6; b += blockSeconds)
            {
                boundaries.Add(b);
            }
        }

        // A place's two windows reach this far either side of it; a block boundary whose windows reach a cut measures the cut.
        var reach = (PairSpacingSeconds / 2) + (WindowSamples / 2.0 / sampleRate);
        var cuts = sceneStarts.Skip(1).ToList();
        boundaries.RemoveAll(b => cuts.Any(c => Math.Abs(c - b) <= reach));

        // A grid point is inside a block when both of its windows stay clear of every cut and block boundary.
        var all = cuts.Concat(boundaries).ToList();
        var inside = new List<double>();
        for (var c = reach; c < duration - reach; c += PairSpacingSeconds)
        {
            if (all.All(b => Math.Abs(b - c) > reach))
            {
                inside.Add(c);
            }
        }

        return (cuts, boundaries, inside);
    }

    /// <summary>The spectral change centred at each of <paramref name="centres"/> (seconds) that both windows fit around.</summary>
    public static List<double> Changes(ReadOnlySpan<float> samples, int sampleRate, IEnumerable<double> centres)
    {
        var edges = BandEdges(sampleRate);
        var changes = new List<double>();
        foreach (var centre in centres)
        {
            var before = WindowStart(centre - (PairSpacingSeconds / 2), sampleRate);
            var after = WindowStart(centre + (PairSpacingSeconds / 2), sampleRate);
            if (before < 0 || after + WindowSamples > samples.Length)
            {
                continue;
            }

            var a = LogBandEnergies(samples.Slice(before, WindowSamples), edges, sampleRate);
            var b = LogBandEnergies(samples.Slice(after, WindowSamples), edges, sampleRate);
            var sum = 0.0;
            for (var k = 0; k < BandCount; k++)
            {
                sum += (a[k] - b[k]) * (a[k] - b[k]);
            }

            changes.Add(Math.Sqrt(sum / BandCount));
        }

        return changes;
    }

    private static int WindowStart(double centreSeconds, int sampleRate) =>
        (int)Math.Round(centreSeconds * sampleRate) - (WindowSamples / 2);

    private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();

    private static double[] BandEdges(int sampleRate)
    {
        var top = sampleRate / 2.0;
        return Enumerable.Range(0, BandCount + 1).Select(i => LowestBandHz * Math.Pow(top / LowestBandHz, (double)i / BandCount)).ToArray();
    }

    /// <summary>ln of the Hann-windowed power in each band (a tiny floor keeps silence finite).</summary>
    private static double[] LogBandEnergies(ReadOnlySpan<float> window, double[] edges, int sampleRate)
    {
        var re = new double[WindowSamples];
        var im = new double[WindowSamples];
        for (var i = 0; i < WindowSamples; i++)
        {
            re[i] = window[i] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * i / WindowSamples)));
        }

        Fft(re, im);
        var energies = new double[BandCount];
        var binHz = (double)sampleRate / WindowSamples;
        for (var bin = 1; bin <= WindowSamples / 2; bin++)
        {
            var frequency = bin * binHz;
            var band = Array.FindLastIndex(edges, e => e <= frequency);
            if (band >= 0 && band < BandCount)
            {
                energies[band] += (re[bin] * re[bin]) + (im[bin] * im[bin]);
            }
            else if (band == BandCount)
            {
                energies[BandCount - 1] += (re[bin] * re[bin]) + (im[bin] * im[bin]);
            }
        }

        return energies.Select(e => Math.Log(e + 1e-12)).ToArray();
    }

    /// <summary>In-place radix-2 Cooley–Tukey FFT of a power-of-two length.</summary>
    private static void Fft(double[] re, double[] im)
    {
        var n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < length / 2; k++)
                {
                    var wr = Math.Cos(angle * k);
                    var wi = Math.Sin(angle * k);
                    var a = start + k;
                    var b = a + (length / 2);
                    var tr = (re[b] * wr) - (im[b] * wi);
                    var ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
