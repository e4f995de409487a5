namespace V2AStream.Testing.Audio;

/// <summary>
/// The resampler quality measure of PolyphaseResamplerTests and bench/Resampler: one second of a 0.5-amplitude sine at
/// 16 kHz, fed to a streaming resampler in random chunks of 1 to 2999 samples, its output compared sample by sample
/// with the ideal sine at the output rate (so a delay counts as error: chunk times are counted in output frames).
/// </summary>
public static class SineSnr
{
    public const int InputRate = 16000;

    /// <summary>One second of a 16 kHz sine of <paramref name="frequency"/> Hz through the resampler, chunked by seed 1.</summary>
    public static float[] ResampleSecond(double frequency, Func<ReadOnlySpan<float>, float[]> process, Func<float[]> flush) =>
        ResampleInChunks(Sine(frequency, InputRate, InputRate), process, flush, new Random(1));

    /// <summary>SNR in dB of <paramref name="output"/> against the ideal sine of <paramref name="frequency"/> Hz at <paramref name="outputRate"/>.</summary>
    public static double Measure(float[] output, double frequency, int outputRate) =>
        Snr(output, Sine(frequency, outputRate, output.Length), outputRate);

    /// <summary>SNR in dB of <paramref name="output"/> against <paramref name="reference"/>, away from the edges, where the zero padding before and after the signal is part of the input.</summary>
    public static double Snr(float[] output, float[] reference, int outputRate)
    {
        var edge = outputRate / 50;
        double signal = 0, error = 0;
        for (var i = edge; i < output.Length - edge; i++)
        {
            signal += reference[i] * (double)reference[i];
            error += (output[i] - reference[i]) * (double)(output[i] - reference[i]);
        }

        return 10 * Math.Log10(signal / error);
    }

    /// <summary>Feeds <paramref name="input"/> in chunks of 1 to 2999 samples, then flushes; returns everything that came out.</summary>
    public static float[] ResampleInChunks(float[] input, Func<ReadOnlySpan<float>, float[]> process, Func<float[]> flush, Random random)
    {
        var output = new List<float>();
        var position = 0;
        while (position < input.Length)
        {
            var count = Math.Min(input.Length - position, random.Next(1, 3000));
            output.AddRange(process(input.AsSpan(position, count)));
            position += count;
        }

        output.AddRange(flush());
        return output.ToArray();
    }

    public static float[] Sine(double frequency, int rate, int count) =>
        Enumerable.Range(0, count).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();
}
