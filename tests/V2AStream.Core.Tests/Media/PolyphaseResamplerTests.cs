using V2AStream.Core.Media;
using V2AStream.Testing.Audio;

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
        var resampler = new PolyphaseResampler(SineSnr.InputRate, outputRate);

        var snrDb = SineSnr.Measure(SineSnr.ResampleSecond(frequency, resampler.Process, resampler.Flush), frequency, outputRate);

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
        var input = SineSnr.Sine(440, 16000, inputSamples);
        var whole = new PolyphaseResampler(16000, outputRate);
        var all = whole.Process(input).Concat(whole.Flush()).ToArray();
        var resampler = new PolyphaseResampler(16000, outputRate);
        var chunked = SineSnr.ResampleInChunks(input, resampler.Process, resampler.Flush, new Random(inputSamples));

        Assert.Equal(expected, all.Length);
        Assert.Equal(all, chunked);
    }

    [Fact]
    public void Duplicate_Stereo_InterleavesTheSameSample()
    {
        Assert.Equal(new[] { 1f, 1f, -2f, -2f }, ChannelLayout.Duplicate(new[] { 1f, -2f }, 2));
    }
}
