using System.Buffers.Binary;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

public sealed class WavWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-wav-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1)]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Float32, 1)]
    [InlineData(WavSampleFormat.Float32, 2)]
    public void Write_ThenRead_RoundTripsSamples(WavSampleFormat format, int channels)
    {
        var path = Path.Combine(_dir, "a.wav");
        var samples = Enumerable.Range(0, 3000 * channels).Select(i => MathF.Sin(i * 0.01f) * 0.9f).ToArray();
        using (var writer = WavWriter.Create(path, 16000, channels, format))
        {
            writer.Write(samples.AsSpan(0, 1000 * channels));
            writer.Write(samples.AsSpan(1000 * channels));
        }

        var audio = WavReader.Read(path);

        Assert.Equal((16000, channels, format, 3000L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        var tolerance = format == WavSampleFormat.Pcm16 ? 1.0 / 16000 : 0;
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - audio.Samples[i]) <= tolerance, $"sample {i}");
        }
    }

    [Fact]
    public void Dispose_SeekableStream_PatchesRiffAndDataSizes()
    {
        var path = Path.Combine(_dir, "b.wav");
        using (var writer = WavWriter.Create(path, 16000, 1, WavSampleFormat.Pcm16))
        {
            writer.Write(new float[500]);
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(44 + 1000, bytes.Length);
        Assert.Equal((uint)(bytes.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
    }

    [Fact]
    public void Write_ToPipeLikeStream_LeavesOpenSizesAndStillReads()
    {
        var sink = new NonSeekableStream();
        using (var writer = new WavWriter(sink, 48000, 2, WavSampleFormat.Float32, leaveOpen: true))
        {
            writer.Write(new float[] { 0.5f, -0.5f, 0.25f, -0.25f });
        }

        var bytes = sink.Inner.ToArray();
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        var audio = WavReader.Read(bytes);
        Assert.Equal(new[] { 0.5f, -0.5f, 0.25f, -0.25f }, audio.Samples);
    }

    [Fact]
    public void Write_PartialFrame_Throws()
    {
        using var writer = new WavWriter(new MemoryStream(), 16000, 2, WavSampleFormat.Pcm16);
        Assert.Throws<ArgumentException>(() => writer.Write(new float[3]));
    }

    [Fact]
    public void Read_NotWav_SaysSo()
    {
        var ex = Assert.Throws<WavException>(() => WavReader.Read("hello world, not a wav"u8, "x.wav"));
        Assert.Equal(WavErrorReason.NotWav, ex.Reason);
        Assert.Contains("x.wav", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedData_SaysTruncated()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, 16000, 1, WavSampleFormat.Pcm16, leaveOpen: true))
        {
            writer.Write(new float[100]);
        }

        var ex = Assert.Throws<WavException>(() => WavReader.Read(stream.ToArray().AsSpan(0, 100)));
        Assert.Equal(WavErrorReason.Corrupt, ex.Reason);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwentyFourBit_IsUnsupported()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, 16000, 1, WavSampleFormat.Pcm16, leaveOpen: true))
        {
            writer.Write(new float[6]);
        }

        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(34), 24);
        var ex = Assert.Throws<WavException>(() => WavReader.Read(bytes));
        Assert.Equal(WavErrorReason.UnsupportedFormat, ex.Reason);
    }

    private sealed class NonSeekableStream : Stream
    {
        public MemoryStream Inner { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }
}
