using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using V2AStream.Grpc.Framing;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Framing;

public sealed class GrpcFrameReaderTests
{
    private static readonly GrpcFrameReadOptions Defaults = new(4 * 1024 * 1024, null);

    [Fact]
    public async Task ReadMessageAsync_MessagesSplitInOddChunks_ReadsEachWhole()
    {
        var messages = Enumerable.Range(0, 20).Select(i => EchoService.Payload($"m{i}", i * 997)).ToArray();
        var bytes = messages.SelectMany(m => RawGrpc.Frame(m)).ToArray();
        var pipe = new Pipe();
        var writing = WriteInChunksAsync(pipe.Writer, bytes, chunk: 7);

        var read = new List<EchoRequest>();
        while (await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None) is { } message)
        {
            read.Add(message);
        }

        await writing;
        Assert.Equal(messages, read);
    }

    [Fact]
    public async Task ReadMessageAsync_ManySmallMessagesInOneWrite_ReadsEach()
    {
        var messages = Enumerable.Range(0, 1000).Select(i => new EchoRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(messages.SelectMany(m => RawGrpc.Frame(m)).ToArray());
        await pipe.Writer.CompleteAsync();

        var read = new List<EchoRequest>();
        while (await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None) is { } message)
        {
            read.Add(message);
        }

        Assert.Equal(messages, read);
    }

    [Fact]
    public async Task ReadMessageAsync_EmptyMessage_ReadsDefaultInstance()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawGrpc.Frame(new EchoRequest()));
        await pipe.Writer.CompleteAsync();

        var message = await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None);

        Assert.Equal(new EchoRequest(), message);
    }

    [Fact]
    public async Task ReadMessageAsync_LengthAboveMax_ThrowsResourceExhaustedBeforeReadingIt()
    {
        var pipe = new Pipe();
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 5_000_000);
        await pipe.Writer.WriteAsync(header);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("5000000", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadMessageAsync_StreamEndsInsideMessage_ThrowsInternal()
    {
        var pipe = new Pipe();
        var frame = RawGrpc.Frame(EchoService.Payload("cut", 100));
        await pipe.Writer.WriteAsync(frame.AsMemory(0, 50));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_CompressedFlagWithoutEncoding_ThrowsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GrpcFrameWriter.ToFrame(new EchoRequest { Text = "x" }, compress: true));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_GzipMessage_Decompresses()
    {
        var message = EchoService.Payload("zipped", 100_000);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GrpcFrameWriter.ToFrame(message, compress: true));
        await pipe.Writer.CompleteAsync();

        var read = await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, new GrpcFrameReadOptions(4 * 1024 * 1024, "gzip"), CancellationToken.None);

        Assert.Equal(message, read);
    }

    [Fact]
    public async Task ReadMessageAsync_GzipInflatesAboveMax_ThrowsResourceExhausted()
    {
        // 2 MB of one byte value compresses to a few KB: the limit must apply after decompression.
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[2_000_000]) };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GrpcFrameWriter.ToFrame(message, compress: true));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, new GrpcFrameReadOptions(1_000_000, "gzip"), CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_NotProtobuf_ThrowsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF });
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await GrpcFrameReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, Defaults, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    private static async Task WriteInChunksAsync(PipeWriter writer, byte[] bytes, int chunk)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)));
        }

        await writer.CompleteAsync();
    }
}
