using System.IO.Pipelines;

namespace V2AStream.Relay;

/// <summary>
/// One Generate call of the relay: the video it is sent (MPEG-TS starting at a key frame with its program tables) goes
/// through a bounded pipe the call reads at its own pace; its sound starts at <see cref="AnchorFrame"/> on the published
/// sound's clock. A call that stops taking video for <see cref="InputTimeout"/> is aborted rather than let it hold the
/// relay's video. Thread-safe: the source loop writes, the call's response loop reads.
/// </summary>
internal sealed class RelayCall : IDisposable
{
    /// <summary>How long a write may wait on a call whose input is full before the call is given up as stuck.</summary>
    public static readonly TimeSpan InputTimeout = TimeSpan.FromSeconds(5);

    private const int InputBufferBytes = 8 << 20;

    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: InputBufferBytes, resumeWriterThreshold: InputBufferBytes / 2, useSynchronizationContext: false));
    private readonly CancellationTokenSource _abort = new();
    private long _framesReceived;

    /// <remarks>The call is not stopped by the relay's own stop: a stopping relay still gives it a moment to finish its sound.</remarks>
    public RelayCall(int number, long anchorFrame)
    {
        Number = number;
        AnchorFrame = anchorFrame;
    }

    /// <summary>1 for the relay's first call, then 2, 3... (each one after the daemon was lost or the source came back).</summary>
    public int Number { get; }

    /// <summary>The sample frame of the published sound where this call's sound starts (its key frame's time).</summary>
    public long AnchorFrame { get; }

    /// <summary>The video the call reads.</summary>
    public Stream Input => _input.Reader.AsStream();

    /// <summary>Stops the call (its response loop ends with a cancellation).</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>The call's response loop; set once when it starts.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Why the call ended before its input did (null while it runs and when it ended with its summary).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Where the call's video ends on the sound's clock, once its source connection has ended; sound past it is not published.</summary>
    public long? EndFrame { get; set; }

    /// <summary>Whether the daemon has answered (StreamStarted).</summary>
    public bool Answered { get; set; }

    /// <summary>Frames a second the daemon samples on this call (its StreamStarted config), for scene frame numbers; 0 before it answered.</summary>
    public double SampleFps { get; set; }

    public bool IsOver => Completion.IsCompleted;

    /// <summary>Sample frames of sound this call has produced so far; the next piece starts at <see cref="AnchorFrame"/> plus this.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public void AddFramesReceived(long frames) => Interlocked.Add(ref _framesReceived, frames);

    /// <summary>Sends video to the call; false when the call is over, or stuck (then it is aborted).</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (IsOver)
        {
            return false;
        }

        var flush = _input.Writer.WriteAsync(bytes, cancellationToken);
        if (!flush.IsCompleted)
        {
            try
            {
                await flush.AsTask().WaitAsync(InputTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Failure ??= new TimeoutException($"the sound service took no video for {InputTimeout.TotalSeconds:F0} s");
                Abort();
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the call was given the end of its video.</summary>
    public bool InputCompleted { get; private set; }

    /// <summary>The end of this call's video: the service finishes the sound for what it had and ends the call.</summary>
    public async Task CompleteInputAsync()
    {
        InputCompleted = true;
        await _input.Writer.CompleteAsync().ConfigureAwait(false);
    }

    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _abort.Dispose();
}
