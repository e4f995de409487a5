using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>How <see cref="StreamClient"/> talks to a daemon: where, with which token, and the stream's config.</summary>
internal sealed record StreamClientOptions
{
    public required Uri Server { get; init; }

    public string? Token { get; init; }

    /// <summary>A TLS certificate accepted as the server's whatever its name and issuer (the daemon calling itself); null validates as usual.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedCertificate { get; init; }

    public required StreamConfig Config { get; init; }

    /// <summary>Send a file at 1x (like ffmpeg -re), for a given media duration; null sends as fast as the server takes it.</summary>
    public TimeSpan? PaceOver { get; init; }

    /// <summary>Called with the total bytes sent so far just as each media message goes out (the soak tool's send log).</summary>
    public Action<long>? MediaSent { get; init; }

    /// <summary>Bytes per media message.</summary>
    public int ChunkBytes { get; init; } = 64 * 1024;
}
