using Grpc.Core;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// A response stream whose every write must complete within <paramref name="timeout"/>; <paramref name="onStalled"/>
/// runs once when one does not. One per call; writes are sequential, as gRPC requires.
/// </summary>
internal sealed class ProgressWatchedWriter<T>(IServerStreamWriter<T> inner, TimeSpan timeout, Action onStalled) : IServerStreamWriter<T>, IDisposable
{
    private readonly CancellationTokenSource _stall = CreateStallTimer(onStalled);

    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        _stall.CancelAfter(timeout);
        try
        {
            await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stall.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _stall.Dispose();

    private static CancellationTokenSource CreateStallTimer(Action onStalled)
    {
        var timer = new CancellationTokenSource();
        timer.Token.Register(onStalled);
        return timer;
    }
}
