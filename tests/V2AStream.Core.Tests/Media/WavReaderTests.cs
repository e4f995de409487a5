using NAudio.Wave;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class WavReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-wav-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Read_FloatWav_ExactSamples(int channels)
    {
        var path = Path.Combine(_dir, "f.wav");
        var samples = Enumerable.Range(0, 3000 * channels).Select(i => MathF.Sin(i * 0.01f) * 1.2f).ToArray();
        using (var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(16000, channels)))
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }

        var audio = WavReader.Read(path);

        Assert.Equal((16000, channels, WavSampleFormat.Float32, 3000L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        Assert.Equal(samples, audio.Samples);
    }

    [Fact]
    public void Read_Missing_SaysItDoesNotExist()
    {
        var path = Path.Combine(_dir, "missing", "x.wav");

        var ex = Assert.Throws<WavException>(() => WavReader.Read(path));

        Assert.Equal(WavErrorReason.NotWav, ex.Reason);
        Assert.Equal($"'{path}' does not exist.", ex.Message);
    }

    [Fact]
    public void Read_NotWav_SaysSo()
    {
        var ex = Assert.Throws<WavException>(() => WavReader.Read(new MemoryStream("hello world, not a wav"u8.ToArray()), "x.wav"));
        Assert.Equal(WavErrorReason.NotWav, ex.Reason);
        Assert.Equal("x.wav is not a WAV file (no RIFF/WAVE header).", ex.Message);
    }

    [Fact]
    public async Task Read_TruncatedData_SaysTruncated()
    {
        var stream = new MemoryStream();
        await using (var writer = Pcm16Wav.Create(stream, 16000, 1))
        {
            await writer.WriteSamplesAsync(new float[100], CancellationToken.None);
        }

        var ex = Assert.Throws<WavException>(() => WavReader.Read(new MemoryStream(stream.ToArray()[..100]), "cut.wav"));

        Assert.Equal(WavErrorReason.Corrupt, ex.Reason);
        Assert.Equal("cut.wav is truncated: its header declares 280 bytes but 100 are present.", ex.Message);
    }

    [Fact]
    public void Read_NoDataChunk_CorruptWithNAudiosReason()
    {
        var header = Pcm16Wav.StreamingHeader(16000, 1);

        var ex = Assert.Throws<WavException>(() => WavReader.Read(new MemoryStream(header[..36]), "nodata.wav"));

        Assert.Equal(WavErrorReason.Corrupt, ex.Reason);
        Assert.StartsWith("nodata.wav is not a readable WAV file: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("data chunk", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Read_TwentyFourBit_IsUnsupported()
    {
        var path = Path.Combine(_dir, "24.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(16000, 24, 1)))
        {
            writer.Write(new byte[18]);
        }

        var ex = Assert.Throws<WavException>(() => WavReader.Read(path));

        Assert.Equal(WavErrorReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("24-bit", ex.Message, StringComparison.Ordinal);
    }
}
