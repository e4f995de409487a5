using System.IO.Pipelines;
using Grpc.Core;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// A call's request body, read through a deadline on its first message: a read still waiting for it when
/// <paramref name="timeout"/> (counted from construction, the call's start) has passed throws DEADLINE_EXCEEDED, which
/// Grpc.AspNetCore sends as the call's status. The first message has arrived when the reader above consumes bytes (a
/// gRPC message reader consumes only whole messages) or the body ends; after that, reads pass straight through.
/// </summary>
internal sealed class FirstMessageReader(PipeReader inner, TimeSpan timeout, TimeProvider time) : PipeReader, IDisposable
{
    private readonly CancellationTokenSource _deadline = new(timeout, time);
    private SequencePosition _bufferStart;
    private bool _arrived;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        _arrived ? inner.ReadAsync(cancellationToken) : ReadBeforeFirstMessageAsync(cancellationToken);

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Observe(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        NoteConsumed(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        NoteConsumed(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public void Dispose() => _deadline.Dispose();

    private async ValueTask<ReadResult> ReadBeforeFirstMessageAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
        try
        {
            var result = await inner.ReadAsync(linked.Token).ConfigureAwait(false);
            Observe(result);
            return result;
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(
                StatusCode.DeadlineExceeded,
                $"No request message arrived within {timeout.TotalSeconds:0.#} s of the call's start; send the first message at once (the server's FirstMessageTimeout)."));
        }
    }

    private void Observe(ReadResult result)
    {
        _bufferStart = result.Buffer.Start;
        if (result.IsCompleted)
        {
            _arrived = true;
        }
    }

    private void NoteConsumed(SequencePosition consumed)
    {
        if (!_arrived && !consumed.Equals(_bufferStart))
        {
            _arrived = true;
        }
    }
}
