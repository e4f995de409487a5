using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Client;

public sealed class AudioSinkTests : IDisposable
{
    private static readonly float[] Samples = Enumerable.Range(0, 2 * 4800).Select(i => 0.7f * MathF.Sin(i * 0.01f)).ToArray();

    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-sink-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteAsync_WavFileCompleted_ExactFramesAndNoPartialLeft()
    {
        var path = Path.Combine(_dir, "out.wav");
        await using (var sink = AudioSink.Open(path, "wav"))
        {
            await WriteInTwoChunksAsync(sink);
            sink.Complete();
        }

        var audio = WavReader.Read(path);

        Assert.Equal((48000, 2, WavSampleFormat.Pcm16, 4800L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        AssertClose(Samples, audio.Samples);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task WriteAsync_WavFileNotCompleted_LeavesNoFile()
    {
        await using (var sink = AudioSink.Open(Path.Combine(_dir, "out.wav"), "wav"))
        {
            await WriteInTwoChunksAsync(sink);
        }

        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task WriteAsync_WavToAPipe_HeaderOfUnknownLengthThenEverySample()
    {
        var pipe = new PipeLikeStream();
        await using (var sink = new AudioSink(pipe, null, "wav"))
        {
            await WriteInTwoChunksAsync(sink);
            sink.Complete();
        }

        var bytes = pipe.Written.ToArray();
        var audio = WavReader.Read(new MemoryStream(bytes), "stdout");

        Assert.Equal(44 + (Samples.Length * 2), bytes.Length);
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal((48000, 2, 4800L), (audio.SampleRate, audio.Channels, audio.Frames));
        AssertClose(Samples, audio.Samples);
    }

    private static async Task WriteInTwoChunksAsync(AudioSink sink)
    {
        foreach (var part in new[] { Samples.AsMemory(0, 2 * 1000), Samples.AsMemory(2 * 1000) })
        {
            var chunk = new AudioChunk
            {
                SampleRate = 48000,
                Channels = 2,
                Encoding = AudioEncoding.PcmF32Le,
                Data = ByteString.CopyFrom(MemoryMarshal.AsBytes(part.Span)),
            };
            await sink.WriteAsync(chunk);
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1.0 / 16000, $"sample {i}");
        }
    }

    /// <summary>Stands for stdout on a pipe: write-only, cannot seek.</summary>
    private sealed class PipeLikeStream : Stream
    {
        public MemoryStream Written { get; } = new();

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

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
