namespace V2AStream.Grpc.Server;

/// <summary>
/// Writes a server-streaming or duplex call's responses. One write at a time (not thread-safe);
/// each write is flushed, and completes only when the transport has taken the message, so a slow
/// client slows the writer down.
/// </summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
