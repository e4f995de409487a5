using Grpc.Core;

namespace V2AStream.Client;

/// <summary>
/// When to try again after a connection is lost (a live source, the daemon): the first retry after
/// <paramref name="firstDelay"/>, each next one twice as late up to <paramref name="maxDelay"/>, and, with
/// <paramref name="giveUpAfter"/>, no more tries once the outage has lasted that long. A connection that works again ends
/// the outage (<see cref="Connected"/>). Not thread-safe: one owner per connection.
/// </summary>
internal sealed class ReconnectPolicy(TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan? giveUpAfter, TimeProvider time)
{
    private long? _outageStarted;
    private int _attempt;
    private bool _everConnected;

    /// <summary>Times a connection worked again after it had been lost.</summary>
    public int Reconnects { get; private set; }

    /// <summary>How long the current outage has lasted; null while connected.</summary>
    public TimeSpan? Outage => _outageStarted is { } started ? time.GetElapsedTime(started) : null;

    /// <summary>The connection works (again): the outage, if any, is over.</summary>
    public void Connected()
    {
        if (_outageStarted is not null && _everConnected)
        {
            Reconnects++;
        }

        _everConnected = true;
        _outageStarted = null;
        _attempt = 0;
    }

    /// <summary>The connection was lost or a try failed: the wait before the next try, or null to give up.</summary>
    public TimeSpan? NextDelay()
    {
        _outageStarted ??= time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_outageStarted.Value);
        if (giveUpAfter is { } limit && elapsed >= limit)
        {
            return null;
        }

        var delay = TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, firstDelay.Ticks << Math.Min(_attempt, 20)));
        _attempt++;
        return giveUpAfter is { } window && elapsed + delay > window ? window - elapsed : delay;
    }

    /// <summary>
    /// Whether a gRPC call that ended with <paramref name="error"/> may be opened again: UNAVAILABLE (the daemon is gone,
    /// draining or unreachable), or a reset the caller did not ask for: CANCELLED while <paramref name="callerCancellation"/>
    /// is not cancelled (a proxy in front of a daemon that died resets the stream), or INTERNAL caused by a broken
    /// connection. Any other status is the server's answer and is not retried.
    /// </summary>
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

    /// <summary>Waits before the next try; false when it is time to give up.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (NextDelay() is not { } delay)
        {
            return false;
        }

        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
