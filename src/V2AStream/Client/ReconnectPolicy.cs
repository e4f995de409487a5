using Grpc.Core;

namespace V2AStream.Client;

/// <summary>
/// When a stream whose call broke is opened again, and how long to wait first (capped exponential backoff). A call may be
/// retried when it ended with UNAVAILABLE (the daemon is gone, draining or unreachable), or with a reset the caller did
/// not ask for: CANCELLED while the caller's token is not cancelled (a proxy in front of a daemon that died resets the
/// stream) or INTERNAL caused by a broken connection. Any other status is the server's answer and is not retried.
/// Immutable; shared by every client that reconnects (v2a stream, soak, relay).
/// </summary>
internal sealed record ReconnectPolicy
{
    /// <summary>Calls in a row that may fail before the stream gives up (a call that delivers audio resets the count).</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>Wait before the first new call; doubled for each further one in a row.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two calls.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a call that ended with <paramref name="error"/> may be opened again.</summary>
    /// <param name="callerCancellation">The caller's token: a call it cancelled is never retried.</param>
    public static bool IsRetryable(Exception error, CancellationToken callerCancellation)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (callerCancellation.IsCancellationRequested)
        {
            return false;
        }

        return error switch
        {
            RpcException { StatusCode: StatusCode.Unavailable } => true,
            RpcException { StatusCode: StatusCode.Cancelled } => true,
            RpcException { StatusCode: StatusCode.Internal } internalError => internalError.Status.DebugException is HttpRequestException or IOException,
            HttpRequestException or IOException => true,
            _ => false,
        };
    }

    /// <summary>How long to wait before new call number <paramref name="attempt"/> (1 for the first after a failure).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var delay = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxDelay.TotalMilliseconds));
    }
}
