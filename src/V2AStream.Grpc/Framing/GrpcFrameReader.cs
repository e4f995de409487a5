using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Framing;

/// <summary>
/// Reads length-prefixed gRPC messages from a pipe. Message boundaries do not line up with HTTP/2
/// DATA frames, so a message is parsed only once all of its bytes are buffered; nothing is read
/// ahead of the message asked for, which is what lets HTTP/2 flow control push back on the peer.
/// </summary>
internal static class GrpcFrameReader
{
    /// <summary>
    /// The next message, or null when the stream ended cleanly between messages. Throws
    /// <see cref="RpcException"/> (RESOURCE_EXHAUSTED, INTERNAL, UNIMPLEMENTED) for what the peer got wrong.
    /// </summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, GrpcFrameReadOptions options, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadHeader(buffer, out var compressed, out var length))
            {
                if (options.MaxMessageSize is { } max && length > max)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {max}).");
                }

                if (buffer.Length >= GrpcProtocol.MessagePrefixLength + length)
                {
                    var payload = buffer.Slice(GrpcProtocol.MessagePrefixLength, length);
                    try
                    {
                        return Parse(payload, compressed, parser, options);
                    }
                    finally
                    {
                        reader.AdvanceTo(payload.End);
                    }
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.IsEmpty)
                {
                    return null;
                }

                throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a message.");
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start);
                throw new OperationCanceledException(cancellationToken);
            }

            // Examine everything so the pipe asks for more; consume nothing until the message is whole.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out bool compressed, out long length)
    {
        compressed = false;
        length = 0;
        if (buffer.Length < GrpcProtocol.MessagePrefixLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.MessagePrefixLength];
        buffer.Slice(0, GrpcProtocol.MessagePrefixLength).CopyTo(header);
        if (header[0] > 1)
        {
            throw new RpcException(StatusCode.Internal, $"Message prefix has compressed flag {header[0]}: expected 0 or 1.");
        }

        compressed = header[0] == 1;
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }

    private static T Parse<T>(ReadOnlySequence<byte> payload, bool compressed, MessageParser<T> parser, GrpcFrameReadOptions options)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (options.Encoding is null || options.Encoding == GrpcProtocol.IdentityEncoding)
            {
                throw new RpcException(StatusCode.Internal, "Message is flagged compressed but no grpc-encoding was sent.");
            }

            var decompressed = GrpcMessageCompression.Decompress(options.Encoding, payload, options.MaxMessageSize);
            return parser.ParseFrom(decompressed);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, $"Failed to deserialize a {typeof(T).Name} message: the bytes are not valid protobuf for it.");
        }
    }
}
