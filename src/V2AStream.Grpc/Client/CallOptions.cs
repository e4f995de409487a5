namespace V2AStream.Grpc.Client;

/// <summary>Per-call settings of <see cref="GrpcClient"/>.</summary>
public sealed class CallOptions
{
    /// <summary>Custom metadata sent as request headers.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>
    /// Time the call may take, from its start; sent as grpc-timeout and enforced here too. When it
    /// passes, the call ends with <see cref="RpcException"/> DEADLINE_EXCEEDED. Null: no deadline.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Gzip every request message (grpc-encoding: gzip).</summary>
    public bool CompressRequests { get; init; }

    /// <summary>
    /// Called once with the response headers' custom metadata, when they arrive. Not called for a
    /// "trailers-only" response (an early error): its metadata goes to <see cref="TrailersReceived"/>.
    /// </summary>
    public Action<Metadata>? ResponseHeadersReceived { get; init; }

    /// <summary>Called once with the trailers' custom metadata when the call ends with a status (OK or not).</summary>
    public Action<Metadata>? TrailersReceived { get; init; }
}
