using System.Buffers.Binary;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class Pcm16WavTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-wav-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task WriteSamplesAsync_InChunks_ReadsBackTheSamples(int channels)
    {
        var path = Path.Combine(_dir, "a.wav");
        var samples = Enumerable.Range(0, 3000 * channels).Select(i => MathF.Sin(i * 0.01f) * 0.9f).ToArray();
        await using (var writer = Pcm16Wav.Create(path, 16000, channels))
        {
            await writer.WriteSamplesAsync(samples.AsMemory(0, 1000 * channels), CancellationToken.None);
            await writer.WriteSamplesAsync(samples.AsMemory(1000 * channels), CancellationToken.None);
        }

        var audio = WavReader.Read(path);

        Assert.Equal((16000, channels, WavSampleFormat.Pcm16, 3000L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - audio.Samples[i]) <= 1.0 / 16000, $"sample {i}");
        }
    }

    [Fact]
    public async Task WriteSamplesAsync_BeyondFullScale_ClipsInsteadOfWrapping()
    {
        var path = Path.Combine(_dir, "loud.wav");
        await using (var writer = Pcm16Wav.Create(path, 16000, 1))
        {
            await writer.WriteSamplesAsync(new[] { 1.5f, -1.5f, 0.5f }, CancellationToken.None);
        }

        Assert.Equal(new[] { 32767f / 32768, -32767f / 32768, 16384f / 32768 }, WavReader.Read(path).Samples);
    }

    [Fact]
    public async Task Dispose_File_FillsInRiffAndDataSizes()
    {
        var path = Path.Combine(_dir, "b.wav");
        await using (var writer = Pcm16Wav.Create(path, 16000, 1))
        {
            await writer.WriteSamplesAsync(new float[500], CancellationToken.None);
        }

        var bytes = File.ReadAllBytes(path);
        // 44 bytes of plain header and the 36-byte JUNK chunk kept for an RF64 header, then 500 16-bit samples.
        Assert.Equal(80 + 1000, bytes.Length);
        Assert.True(bytes.AsSpan(12, 4).SequenceEqual("JUNK"u8));
        Assert.Equal((uint)(bytes.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.True(bytes.AsSpan(72, 4).SequenceEqual("data"u8));
        Assert.Equal(1000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(76)));
    }

    [Fact]
    public async Task WriteSamplesAsync_PartialFrame_Throws()
    {
        await using var writer = Pcm16Wav.Create(new MemoryStream(), 16000, 2);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteSamplesAsync(new float[3], CancellationToken.None).AsTask());
    }

    [Fact]
    public void StreamingHeader_UnknownSizes_44BytesThatReadAsTheSamplesAfterThem()
    {
        var header = Pcm16Wav.StreamingHeader(48000, 2);
        var samples = new[] { 0.5f, -0.5f, 0.25f, -0.25f };

        var audio = WavReader.Read(new MemoryStream([.. header, .. PcmEncoder.Encode(samples, WavSampleFormat.Pcm16)]));

        Assert.Equal(44, header.Length);
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(40)));
        Assert.Equal((48000, 2, WavSampleFormat.Pcm16, 2L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        Assert.Equal(new[] { 16384f, -16384f, 8192f, -8192f }.Select(s => s / 32768), audio.Samples);
    }
}
