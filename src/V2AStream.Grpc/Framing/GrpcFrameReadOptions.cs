namespace V2AStream.Grpc.Framing;

/// <summary>How to read messages: the size limit (after decompression) and the peer's grpc-encoding.</summary>
internal readonly record struct GrpcFrameReadOptions(int? MaxMessageSize, string? Encoding);
