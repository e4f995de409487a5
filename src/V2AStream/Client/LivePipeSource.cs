using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// A live pipe (stdin fed by ffmpeg -re, OBS...) for a reconnecting client. One pump reads the pipe all the time, so the
/// writer never waits on an outage: while a call is open it hands the bytes to that call (and waits for it: HTTP/2 flow
/// control still reaches the writer); between calls it drops them. A new call goes on with the bytes that come next
/// (MPEG-TS and the other live containers can be joined mid-stream; the daemon starts at the next keyframe). Live input
/// has no clock of its own here, so a new call's media time 0 is put at the wall time since the first call opened.
/// </summary>
internal sealed class LivePipeSource : IResumableSource, IAsyncDisposable
{
    private readonly Stream _input;
    private readonly StreamClient _client;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _pump;
    private Pipe? _current;
    private long? _firstOpened;
    private bool _ended;

    public LivePipeSource(Stream input, StreamClient client, TimeProvider time)
    {
        _input = input;
        _client = client;
        _time = time;
    }

    public Task<ResumedCall> OpenAsync(double? reachedSeconds, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        lock (_lock)
        {
            if (_ended)
            {
                pipe.Writer.Complete();
            }

            _current = pipe;
        }

        _firstOpened ??= _time.GetTimestamp();
        _pump ??= PumpAsync(_stop.Token);
        var offset = reachedSeconds is null ? 0 : _time.GetElapsedTime(_firstOpened.Value).TotalSeconds;
        return Task.FromResult(new ResumedCall(SendAsync(pipe, cancellationToken), offset));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            // A read of an idle pipe may not see the cancellation until the writer writes or closes; the process is ending.
            try
            {
                await _pump.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        _stop.Dispose();
    }

    private async IAsyncEnumerable<GenerateResponse> SendAsync(Pipe pipe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var input = pipe.Reader.AsStream();
        try
        {
            await foreach (var response in _client.GenerateAsync(input, cancellationToken).ConfigureAwait(false))
            {
                yield return response;
            }
        }
        finally
        {
            lock (_lock)
            {
                if (_current == pipe)
                {
                    _current = null;
                }
            }

            // The pump's next write to this pipe sees it completed and drops its bytes.
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Pipe? target;
                lock (_lock)
                {
                    target = _current;
                }

                if (target is not null)
                {
                    await target.Writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_lock)
            {
                _ended = true;
                _current?.Writer.Complete();
            }
        }
    }
}
