namespace V2AStream.Core.Media;

/// <summary>
/// Streaming rational resampler (16 kHz generator output to 44.1 or 48 kHz) by polyphase windowed-sinc
/// interpolation: upsample by L, low-pass, keep every M-th sample, with L/M = outRate/inRate reduced.
/// The prototype filter is a Kaiser-windowed sinc (β for 90 dB stopband) with a passband up to 0.875 of
/// the lower Nyquist frequency (7 kHz for 16 kHz audio, above AudioLDM's 8 kHz mel ceiling only by its
/// transition band) and the stopband from that Nyquist on. It is applied zero-phase, so output sample n
/// sits exactly at input time n·M/L; it waits for about half the filter (46 input samples, ~3 ms at 16 kHz)
/// of look-ahead, which <see cref="Flush"/> releases with zero padding. Positions are integers: the output
/// for N input samples is exactly round(N·L/M) samples however the input is chunked. Not thread-safe.
/// </summary>
public sealed class PolyphaseResampler
{
    private const double StopbandAttenuationDb = 90;
    private const double PassbandFraction = 0.875;

    private readonly int _up;
    private readonly int _down;
    private readonly int _tapsPerPhase;
    private readonly long _center;
    private readonly float[] _phases;
    private float[] _history = new float[1024];
    private long _historyStart;
    private int _historyCount;
    private long _inputCount;
    private long _outputIndex;
    private bool _flushed;

    public PolyphaseResampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        var divisor = Gcd(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;
        if (_up > 4096 || _down > 4096)
        {
            throw new ArgumentException($"{inputRate} Hz to {outputRate} Hz needs a ratio of {_up}/{_down}; ratios above 4096 are not supported.");
        }

        InputRate = inputRate;
        OutputRate = outputRate;

        // Kaiser design (Oppenheim & Schafer 7.6): transition from PassbandFraction·Nyquist to Nyquist of the lower rate.
        var nyquist = 0.5 * Math.Min(inputRate, outputRate);
        var upsampledRate = (double)inputRate * _up;
        var transition = 2 * Math.PI * (1 - PassbandFraction) * nyquist / upsampledRate;
        var length = (int)Math.Ceiling((StopbandAttenuationDb - 7.95) / (2.285 * transition));
        _tapsPerPhase = ((length / _up) + 1) | 1;
        var total = _tapsPerPhase * _up;

        _center = (total - 1) / 2;
        var cutoff = (1 + PassbandFraction) / 2 * nyquist / upsampledRate;
        var beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        var window = BesselI0(beta);
        _phases = new float[total];
        for (var j = 0; j < total; j++)
        {
            var x = j - _center;
            var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            var ratio = x / (double)_center;
            var kaiser = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / window;

            // Stored by phase p = j mod L, tap q = j div L, scaled by L for unit gain after zero-stuffing.
            _phases[((j % _up) * _tapsPerPhase) + (j / _up)] = (float)(sinc * kaiser * _up);
        }
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Taps per polyphase branch (the filter length in input samples).</summary>
    public int TapsPerPhase => _tapsPerPhase;

    /// <summary>Resamples the next input samples; returns every output sample that no later input can change.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        if (_flushed)
        {
            throw new InvalidOperationException("The resampler was flushed.");
        }

        Append(input);
        return Produce(untilExclusive: long.MaxValue, inputEnded: false);
    }

    /// <summary>Ends the input; returns the remaining output, so that the total is round(inputs·L/M).</summary>
    public float[] Flush()
    {
        _flushed = true;
        var total = ((_inputCount * _up * 2) + _down) / (2L * _down);
        return Produce(total, inputEnded: true);
    }

    private float[] Produce(long untilExclusive, bool inputEnded)
    {
        var output = new List<float>();
        while (_outputIndex < untilExclusive)
        {
            // y[n] = Σ_q h[p + qL] · x[i0 - q] with m = n·M, p = (m + C) mod L, i0 = (m + C) div L.
            var m = (_outputIndex * _down) + _center;
            var newest = m / _up;
            if (!inputEnded && newest >= _inputCount)
            {
                break;
            }

            var phase = (int)(m % _up);
            var taps = _phases.AsSpan(phase * _tapsPerPhase, _tapsPerPhase);
            var sum = 0f;
            for (var q = 0; q < taps.Length; q++)
            {
                var i = newest - q;
                if (i >= _historyStart && i < _historyStart + _historyCount)
                {
                    sum += taps[q] * _history[i - _historyStart];
                }
            }

            output.Add(sum);
            _outputIndex++;
        }

        Trim();
        return output.ToArray();
    }

    private void Append(ReadOnlySpan<float> input)
    {
        if (_historyCount + input.Length > _history.Length)
        {
            var grown = new float[Math.Max(_history.Length * 2, _historyCount + input.Length)];
            _history.AsSpan(0, _historyCount).CopyTo(grown);
            _history = grown;
        }

        input.CopyTo(_history.AsSpan(_historyCount));
        _historyCount += input.Length;
        _inputCount += input.Length;
    }

    private void Trim()
    {
        // The oldest input the next output can touch.
        var oldestNeeded = ((((_outputIndex * _down) + _center) / _up) - _tapsPerPhase) + 1;
        var drop = (int)Math.Clamp(oldestNeeded - _historyStart, 0, _historyCount);
        if (drop > 0)
        {
            _history.AsSpan(drop, _historyCount - drop).CopyTo(_history);
            _historyCount -= drop;
            _historyStart += drop;
        }
    }

    private static double BesselI0(double x)
    {
        // Power series of the modified Bessel function of the first kind, order 0.
        double sum = 1, term = 1;
        for (var k = 1; k < 200 && term > 1e-12 * sum; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return sum;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
