namespace V2AStream.Core.Media;

/// <summary>
/// ffmpeg's stdin for a piped source across the attempts of one read (<see cref="ProbeBudget"/>): the media pump writes
/// into it for the whole read, it passes the bytes to the current ffmpeg and keeps a copy of them until the first frame
/// arrives, so that when an attempt could not identify the input, the next ffmpeg is given the very same bytes from
/// the start and then the rest of the source. Bytes a pipe delivered cannot be asked for again; without this a retry
/// would start mid-stream. The copy is bounded; past the bound no retry is possible.
/// </summary>
internal sealed class ProbeReplayInput : Stream
{
    private readonly long _historyLimit;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _lock = new();
    private List<byte[]>? _history = [];
    private long _historyBytes;
    private Stream? _stdin;
    private bool _sourceEnded;
    private int _generation;
    private bool _finished;
    private TaskCompletionSource<bool>? _nextAttempt;

    public ProbeReplayInput(Stream stdin, long historyLimit)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        _stdin = stdin;
        _historyLimit = historyLimit;
    }

    /// <summary>Whether every byte given so far is still kept, so a next attempt can be given all of them.</summary>
    public bool CanReplay => Volatile.Read(ref _history) is not null;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The first frame is out: no retry can follow, the copy is dropped. Never waits (the pump may be blocked on ffmpeg).</summary>
    public void StopKeeping() => Volatile.Write(ref _history, null);

    /// <summary>
    /// Makes <paramref name="stdin"/> (the next attempt's ffmpeg) the destination: it gets every byte given so far,
    /// then what the pump writes next; it is closed at once when the source has already ended.
    /// </summary>
    public async Task SwitchToAsync(Stream stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var history = Volatile.Read(ref _history) ?? throw new InvalidOperationException("The bytes of the first attempt were not kept.");
            _stdin = stdin;
            try
            {
                foreach (var chunk in history)
                {
                    await stdin.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                if (_sourceEnded)
                {
                    await CloseStdinAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // This ffmpeg is gone already; its exit code tells why.
                _stdin = null;
            }
        }
        finally
        {
            _writing.Release();
        }

        TaskCompletionSource<bool>? waiting;
        lock (_lock)
        {
            _generation++;
            waiting = _nextAttempt;
            _nextAttempt = null;
        }

        waiting?.TrySetResult(true);
    }

    /// <summary>No further attempt: a write waiting for one fails as a write into a closed pipe does.</summary>
    public void Finish()
    {
        TaskCompletionSource<bool>? waiting;
        lock (_lock)
        {
            _finished = true;
            waiting = _nextAttempt;
            _nextAttempt = null;
        }

        waiting?.TrySetResult(false);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int generation;
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Keep(buffer.Span);
            generation = Volatile.Read(ref _generation);
            if (_stdin is { } stdin)
            {
                try
                {
                    await stdin.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    // This ffmpeg stopped reading: it failed, or it has all it wants.
                    _stdin = null;
                }
            }
        }
        finally
        {
            _writing.Release();
        }

        // A next attempt, if one comes, is given these bytes with the rest of the copy.
        if (!CanReplay || !await NextAttemptAsync(generation, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("ffmpeg closed its input.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The source ended: the current ffmpeg sees the end of its input (and a later one, after the copy).</summary>
    public override async ValueTask DisposeAsync()
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            _sourceEnded = true;
            await CloseStdinAsync().ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writing.Wait();
            try
            {
                _sourceEnded = true;
                _stdin?.Dispose();
                _stdin = null;
            }
            catch (IOException)
            {
            }
            finally
            {
                _writing.Release();
            }
        }

        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (Volatile.Read(ref _history) is not { } history)
        {
            return;
        }

        _historyBytes += bytes.Length;
        if (_historyBytes > _historyLimit)
        {
            Volatile.Write(ref _history, null);
            return;
        }

        history.Add(bytes.ToArray());
    }

    private async Task<bool> NextAttemptAsync(int failedGeneration, CancellationToken cancellationToken)
    {
        Task<bool> next;
        lock (_lock)
        {
            if (_generation != failedGeneration)
            {
                return true;
            }

            if (_finished)
            {
                return false;
            }

            _nextAttempt ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            next = _nextAttempt.Task;
        }

        return await next.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseStdinAsync()
    {
        if (_stdin is not { } stdin)
        {
            return;
        }

        _stdin = null;
        try
        {
            await stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Flushing into a pipe ffmpeg already closed.
        }
    }
}
