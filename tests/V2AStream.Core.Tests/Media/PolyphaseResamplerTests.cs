using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class PolyphaseResamplerTests
{
    [Theory]
    [InlineData(48000, 1000.0)]
    [InlineData(48000, 5000.0)]
    [InlineData(44100, 1000.0)]
    [InlineData(44100, 6500.0)]
    public void Process_Sine_MatchesIdealSineAbove80Db(int outputRate, double frequency)
    {
        var input = Sine(frequency, 16000, 16000);
        var resampler = new PolyphaseResampler(16000, outputRate);

        var output = Chunked(resampler, input, new Random(1));

        var ideal = Sine(frequency, outputRate, output.Length);
        // Away from the edges, where the zero padding before and after the signal is part of the input.
        var edge = outputRate / 50;
        double signal = 0, error = 0;
        for (var i = edge; i < output.Length - edge; i++)
        {
            signal += ideal[i] * (double)ideal[i];
            error += (output[i] - ideal[i]) * (double)(output[i] - ideal[i]);
        }

        var snrDb = 10 * Math.Log10(signal / error);
        Assert.True(snrDb > 80, $"SNR {snrDb:F1} dB");
    }

    [Theory]
    [InlineData(48000, 16000, 48000)]
    [InlineData(44100, 16000, 44100)]
    [InlineData(44100, 16001, 44103)]
    [InlineData(44100, 1, 3)]
    [InlineData(48000, 0, 0)]
    public void Flush_AnyChunking_OutputIsRoundOfScaledLength(int outputRate, int inputSamples, int expected)
    {
        var input = Sine(440, 16000, inputSamples);
        var whole = new PolyphaseResampler(16000, outputRate);
        var all = whole.Process(input).Concat(whole.Flush()).ToArray();
        var chunked = Chunked(new PolyphaseResampler(16000, outputRate), input, new Random(inputSamples));

        Assert.Equal(expected, all.Length);
        Assert.Equal(all, chunked);
    }

    [Fact]
    public void Duplicate_Stereo_InterleavesTheSameSample()
    {
        Assert.Equal(new[] { 1f, 1f, -2f, -2f }, ChannelLayout.Duplicate(new[] { 1f, -2f }, 2));
    }

    private static float[] Chunked(PolyphaseResampler resampler, float[] input, Random random)
    {
        var output = new List<float>();
        var position = 0;
        while (position < input.Length)
        {
            var count = Math.Min(input.Length - position, random.Next(1, 3000));
            output.AddRange(resampler.Process(input.AsSpan(position, count)));
            position += count;
        }

        output.AddRange(resampler.Flush());
        return output.ToArray();
    }

    private static float[] Sine(double frequency, int rate, int count) =>
        Enumerable.Range(0, count).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();
}
