using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Daemon.Metrics;

namespace V2AStream.Daemon;

/// <summary>
/// What every streaming call passes through: refused while shutting down (UNAVAILABLE) or when the server
/// is full (RESOURCE_EXHAUSTED); stopped when the client cancels, the deadline passes or the drain time
/// ends, or at the server's longest stream duration; engine failures turned into statuses. The stream's slot is freed however the call ends.
/// Everything logged while the stream runs carries its request id (a logging scope); admitted streams are counted.
/// </summary>
internal sealed class StreamGate(StreamLimiter limiter, ShutdownCoordinator shutdown, TimeSpan maxStreamDuration, DaemonMetrics metrics, ILogger<StreamGate> logger)
{
    public async Task RunAsync(string requestId, ServerCallContext context, Func<CancellationToken, Task> stream)
    {
        using var scope = DaemonLog.RequestScope(logger, requestId);
        await RunInScopeAsync(requestId, context, stream).ConfigureAwait(false);
    }

    private async Task RunInScopeAsync(string requestId, ServerCallContext context, Func<CancellationToken, Task> stream)
    {
        if (shutdown.IsDraining)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The server is shutting down; retry on another instance."));
        }

        using var lease = limiter.TryAcquire();
        if (lease is null)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"The server is running its maximum of {limiter.MaxStreams} streams; retry later or raise --max-streams."));
        }

        metrics.OnStreamStarted();
        using var tooLong = new CancellationTokenSource(maxStreamDuration);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.StreamsMustStop, tooLong.Token);
        try
        {
            await stream(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            DaemonLog.StreamCancelled(logger, requestId);
            throw;
        }
        catch (OperationCanceledException) when (shutdown.StreamsMustStop.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The server shut down before the stream finished; retry on another instance."));
        }
        catch (OperationCanceledException) when (tooLong.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"The stream ran past the server's maximum of {maxStreamDuration.TotalMinutes:F0} minutes; start a new stream to continue."));
        }
        catch (Exception ex) when (EngineErrors.ToRpc(ex) is { } status)
        {
            DaemonLog.StreamFailed(logger, requestId, status.StatusCode.ToString(), status.Status.Detail);
            throw status;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DaemonLog.StreamCrashed(logger, requestId, ex);
            throw;
        }
    }
}
