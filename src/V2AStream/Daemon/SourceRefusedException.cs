namespace V2AStream.Daemon;

/// <summary>A source the daemon will not open (<see cref="SourcePolicy"/>); the message is one line for the client.</summary>
internal sealed class SourceRefusedException(SourceRefusal reason, string message) : Exception(message)
{
    public SourceRefusal Reason { get; } = reason;
}
