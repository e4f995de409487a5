// Output resampler: ours (PolyphaseResampler) against NAudio.Core's WDL resampler (bench/README.md, "Output
// resampler: ours against NAudio's"), in one invocation:
//   1. quality: the SNR cases of PolyphaseResamplerTests (SineSnr: a 16 kHz sine in random chunks against the ideal
//      sine at the output rate), and the SNR against the best-fitting sine of the same frequency (any gain and
//      delay), which leaves out what a resampler loses to its delay alone;
//   2. length: output samples for 16001 input samples to 44.1 kHz in random chunks (exact: round(N·L/M) = 44103);
//   3. speed: 60 s of 16 kHz Gaussian noise in 20 ms chunks, one thread, medians of ROUNDS rounds alternating the resamplers.
// Usage: bench/resampler.sh [ROUNDS] (default 5)
using System.Diagnostics;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using V2AStream.Bench;
using V2AStream.Bench.Resampler;
using V2AStream.Core.Generation;
using V2AStream.Core.Media;
using V2AStream.Testing.Audio;

var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
(int Rate, double Frequency)[] cases = [(48000, 1000), (48000, 5000), (44100, 1000), (44100, 6500)];
int[] rates = [44100, 48000];

Candidate[] candidates =
[
    new($"ours: PolyphaseResampler (Kaiser-windowed sinc, {string.Join(" or ", rates.Select(r => new PolyphaseResampler(SineSnr.InputRate, r).TapsPerPhase).Distinct())} taps per output sample)", (input, output) =>
    {
        var resampler = new PolyphaseResampler(input, output);
        return (resampler.Process, resampler.Flush);
    }),
    new("NAudio: WdlResamplingSampleProvider's settings (linear interpolation, 2 IIR low-pass stages), pushed", (input, output) =>
    {
        var resampler = new WdlStreamingResampler(input, output, sincTaps: 0);
        return (resampler.Process, resampler.Flush);
    }),
    .. new[] { 64, 256, 512 }.Select(taps => new Candidate($"NAudio: WdlResampler, windowed sinc, {taps} taps, pushed", (input, output) =>
    {
        var resampler = new WdlStreamingResampler(input, output, taps);
        return (resampler.Process, resampler.Flush);
    })),
];

Console.Error.WriteLine($"load average {BenchSupport.LoadAverage()} at the start");
var results = candidates.Select(candidate => new Result
{
    Snr = cases.Select(c =>
    {
        var (process, flush) = candidate.Create(SineSnr.InputRate, c.Rate);
        var output = SineSnr.ResampleSecond(c.Frequency, process, flush);
        return (SineSnr.Measure(output, c.Frequency, c.Rate), DelayFreeSnr(output, c.Frequency, c.Rate));
    }).ToArray(),
    Length = LengthOf(candidate, 16001, 44100),
}).ToArray();

// The shipped sample provider, pulled over the whole second at once (no chunking), against the pushed adapter above.
var pulled = cases.Select(c =>
{
    var provider = new WdlResamplingSampleProvider(new ArraySampleProvider(SineSnr.Sine(c.Frequency, SineSnr.InputRate, SineSnr.InputRate), SineSnr.InputRate), c.Rate);
    var output = ReadToEnd(provider);
    return (Raw: SineSnr.Measure(output, c.Frequency, c.Rate), DelayFree: DelayFreeSnr(output, c.Frequency, c.Rate));
}).ToArray();

var noise = new float[60 * SineSnr.InputRate];
GaussianNoise.Fill(9, noise);

foreach (var rate in rates)
{
    foreach (var candidate in candidates)
    {
        ResampleNoise(candidate, rate);
    }
}

var times = new Dictionary<(int Candidate, int Rate), List<double>>();
for (var round = 0; round < rounds; round++)
{
    foreach (var rate in rates)
    {
        for (var c = 0; c < candidates.Length; c++)
        {
            var list = times.TryGetValue((c, rate), out var existing) ? existing : times[(c, rate)] = [];
            list.Add(ResampleNoise(candidates[c], rate));
        }
    }
}

Console.Error.WriteLine($"load average {BenchSupport.LoadAverage()} at the end");
Console.WriteLine($"| resampler | {string.Join(" | ", cases.Select(c => $"SNR {c.Frequency / 1000:0.#} kHz -> {c.Rate / 1000.0:0.#} kHz, dB (delay-free)"))} | samples out for 16001 in at 44.1 kHz (exact: 44103) | {string.Join(" | ", rates.Select(r => $"60 s to {r / 1000.0:0.#} kHz, ms (× ours)"))} |");
Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", cases.Length + 1 + rates.Length))}");
for (var c = 0; c < candidates.Length; c++)
{
    var snr = results[c].Snr.Select(s => $"{s.Raw:F1} ({s.DelayFree:F1})");
    var speed = rates.Select(r => $"{BenchSupport.Median(times[(c, r)]):F0} ({BenchSupport.Median(times[(c, r)]) / BenchSupport.Median(times[(0, r)]):F2})");
    Console.WriteLine($"| {candidates[c].Name} | {string.Join(" | ", snr)} | {results[c].Length} | {string.Join(" | ", speed)} |");
}

Console.WriteLine($"| NAudio: WdlResamplingSampleProvider as shipped, the whole second pulled at once | {string.Join(" | ", pulled.Select(s => $"{s.Raw:F1} ({s.DelayFree:F1})"))} | | |{string.Concat(Enumerable.Repeat(" |", rates.Length - 1))}");

double ResampleNoise(Candidate candidate, int rate)
{
    var stopwatch = Stopwatch.StartNew();
    var (process, flush) = candidate.Create(SineSnr.InputRate, rate);
    for (var offset = 0; offset < noise.Length; offset += 320)
    {
        process(noise.AsSpan(offset, 320));
    }

    flush();
    return stopwatch.Elapsed.TotalMilliseconds;
}

static int LengthOf(Candidate candidate, int inputSamples, int rate)
{
    var (process, flush) = candidate.Create(SineSnr.InputRate, rate);
    return SineSnr.ResampleInChunks(SineSnr.Sine(440, SineSnr.InputRate, inputSamples), process, flush, new Random(inputSamples)).Length;
}

// SNR against the sine a·sin + b·cos of the same frequency that fits the output best (least squares), over the same
// samples SineSnr uses: what is left is distortion, aliasing and noise, not delay or passband gain.
static double DelayFreeSnr(float[] output, double frequency, int rate)
{
    var edge = rate / 50;
    double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
    for (var i = edge; i < output.Length - edge; i++)
    {
        var (s, c) = Math.SinCos(2 * Math.PI * frequency * i / rate);
        ss += s * s;
        sc += s * c;
        cc += c * c;
        ys += output[i] * s;
        yc += output[i] * c;
    }

    var determinant = (ss * cc) - (sc * sc);
    var a = ((ys * cc) - (yc * sc)) / determinant;
    var b = ((yc * ss) - (ys * sc)) / determinant;
    var fitted = Enumerable.Range(0, output.Length).Select(i =>
    {
        var (s, c) = Math.SinCos(2 * Math.PI * frequency * i / rate);
        return (float)((a * s) + (b * c));
    }).ToArray();
    return SineSnr.Snr(output, fitted, rate);
}

static float[] ReadToEnd(ISampleProvider provider)
{
    var output = new List<float>();
    var buffer = new float[4800];
    int count;
    while ((count = provider.Read(buffer)) > 0)
    {
        output.AddRange(buffer.AsSpan(0, count));
    }

    return output.ToArray();
}

internal sealed record Candidate(string Name, Func<int, int, (Func<ReadOnlySpan<float>, float[]> Process, Func<float[]> Flush)> Create);

internal sealed class Result
{
    public required (double Raw, double DelayFree)[] Snr { get; init; }

    public required int Length { get; init; }
}

/// <summary>A mono float array as NAudio's pull-side source.</summary>
internal sealed class ArraySampleProvider(float[] samples, int sampleRate) : ISampleProvider
{
    private int _position;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);

    public int Read(Span<float> buffer)
    {
        var count = Math.Min(buffer.Length, samples.Length - _position);
        samples.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
