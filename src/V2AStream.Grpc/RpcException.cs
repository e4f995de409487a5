namespace V2AStream.Grpc;

/// <summary>
/// A call that ended with a non-OK status. Handlers throw it to end a call with that status and
/// <see cref="Detail"/> as grpc-message; the client throws it when a call ends with one.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode statusCode, string detail)
        : this(statusCode, detail, new Metadata())
    {
    }

    public RpcException(StatusCode statusCode, string detail, Metadata trailers)
        : base($"Status({statusCode}, \"{detail}\")")
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(trailers);
        StatusCode = statusCode;
        Detail = detail;
        Trailers = trailers;
    }

    public StatusCode StatusCode { get; }

    /// <summary>The one-line grpc-message (decoded); empty when the peer sent none.</summary>
    public string Detail { get; }

    /// <summary>Trailers sent with the status (server: added to the response; client: as received).</summary>
    public Metadata Trailers { get; }
}
