using NAudio.Dsp;

namespace V2AStream.Bench.Resampler;

/// <summary>
/// NAudio's <see cref="WdlResampler"/> (the engine of its WdlResamplingSampleProvider) pushed chunk by chunk, the way
/// the daemon pushes generated audio: input-driven feed mode, mono, flushed at the end by handing it fewer samples
/// than it was promised, which makes it pad zeros and release the rest of its output.
/// </summary>
internal sealed class WdlStreamingResampler
{
    private readonly WdlResampler _resampler = new();
    private readonly double _ratio;
    private readonly int _sincTaps;
    private float[] _output = [];

    /// <param name="sincTaps">0 for WdlResamplingSampleProvider's settings (linear interpolation and two IIR low-pass
    /// stages), otherwise WDL's windowed-sinc mode with this many taps and half as many filter phases.</param>
    public WdlStreamingResampler(int inputRate, int outputRate, int sincTaps)
    {
        if (sincTaps == 0)
        {
            _resampler.SetMode(true, 2, false);
            _resampler.SetFilterParms();
        }
        else
        {
            _resampler.SetMode(false, 0, true, sincTaps, sincTaps / 2);
        }

        _resampler.SetFeedMode(true);
        _resampler.SetRates(inputRate, outputRate);
        _ratio = (double)outputRate / inputRate;
        _sincTaps = sincTaps;
    }

    public float[] Process(ReadOnlySpan<float> input)
    {
        var wanted = _resampler.ResamplePrepare(input.Length, 1, out var buffer);
        input[..wanted].CopyTo(buffer);
        return Produce(wanted, wanted);
    }

    public float[] Flush()
    {
        const int promised = 1024;
        _resampler.ResamplePrepare(promised, 1, out _);
        return Produce(0, promised);
    }

    private float[] Produce(int samplesIn, int promised)
    {
        // Room for everything buffered plus the zero padding of a flush (twice the shortfall and twice the filter).
        var capacity = (int)(((2 * promised) + (4 * _sincTaps) + 64) * _ratio);
        if (_output.Length < capacity)
        {
            _output = new float[capacity];
        }

        var count = _resampler.ResampleOut(_output, samplesIn, capacity, 1);
        return _output.AsSpan(0, count).ToArray();
    }
}
