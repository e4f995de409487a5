namespace V2AStream.Grpc.Server;

/// <summary>The four call shapes of gRPC.</summary>
public enum GrpcMethodType
{
    Unary,
    ServerStreaming,
    ClientStreaming,
    DuplexStreaming,
}
