using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Framing;

/// <summary>Writes length-prefixed gRPC messages.</summary>
internal static class GrpcFrameWriter
{
    /// <summary>Writes one uncompressed message (prefix and bytes) into <paramref name="writer"/>; the caller flushes.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var prefix = writer.GetSpan(GrpcProtocol.MessagePrefixLength);
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)size);
        writer.Advance(GrpcProtocol.MessagePrefixLength);
        message.WriteTo(writer);
    }

    /// <summary>One message as a whole frame, gzip-compressed when <paramref name="compress"/>.</summary>
    public static byte[] ToFrame(IMessage message, bool compress)
    {
        var bytes = message.ToByteArray();
        if (compress)
        {
            bytes = GrpcMessageCompression.Compress(bytes);
        }

        var frame = new byte[GrpcProtocol.MessagePrefixLength + bytes.Length];
        frame[0] = compress ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame.AsSpan(GrpcProtocol.MessagePrefixLength));
        return frame;
    }
}
