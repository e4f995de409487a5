using System.Buffers;
using System.IO.Compression;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Framing;

/// <summary>Message compression for grpc-encoding: gzip on receive and send.</summary>
internal static class GrpcMessageCompression
{
    public static bool IsSupported(string encoding) =>
        encoding is GrpcProtocol.IdentityEncoding or GrpcProtocol.GzipEncoding;

    /// <summary>Decompresses one message, refusing output beyond <paramref name="maxSize"/> (RESOURCE_EXHAUSTED).</summary>
    public static byte[] Decompress(string encoding, ReadOnlySequence<byte> payload, int? maxSize)
    {
        if (encoding != GrpcProtocol.GzipEncoding)
        {
            throw new RpcException(StatusCode.Unimplemented, $"Message compression '{encoding}' is not supported: use gzip or identity.");
        }

        using var input = new MemoryStream(payload.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = ReadChunk(gzip, chunk)) > 0)
            {
                if (maxSize is { } max && output.Length + read > max)
                {
                    throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max after decompression (more than {max} bytes).");
                }

                output.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return output.ToArray();
    }

    public static byte[] Compress(ReadOnlySpan<byte> message)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(message);
        }

        return output.ToArray();
    }

    private static int ReadChunk(GZipStream gzip, byte[] chunk)
    {
        try
        {
            return gzip.Read(chunk, 0, chunk.Length);
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, "Failed to decompress a gzip message: the bytes are not valid gzip.");
        }
    }
}
