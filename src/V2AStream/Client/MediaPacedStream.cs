namespace V2AStream.Client;

/// <summary>
/// A read-only view of a media file that hands out its bytes at 1x by media time, like <c>ffmpeg -re</c>: a byte
/// is readable once the first frame that needs it is due (<see cref="MediaByteIndex.SecondsAtByte"/>), and one
/// read returns at most <c>stepSeconds</c> of media, so a variable bitrate does not turn into bursts and stalls
/// the way even byte pacing would. The clock starts at the first read, or at <paramref name="startedTimestamp"/> for a stream
/// that goes on from byte <paramref name="startPosition"/> of the media (a reconnected call: what is already due goes out at once).
/// </summary>
internal sealed class MediaPacedStream(Stream inner, MediaByteIndex index, TimeProvider time, double stepSeconds = 0.1, long startPosition = 0, long? startedTimestamp = null) : Stream
{
    private long _position = startPosition;
    private long? _started = startedTimestamp;

    /// <summary>When the pacing clock started (the first read), on <c>time</c>'s timestamps; null before.</summary>
    public long? StartedTimestamp => _started;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _started ??= time.GetTimestamp();
        var dueSeconds = index.SecondsAtByte(_position);
        var wait = TimeSpan.FromSeconds(dueSeconds) - time.GetElapsedTime(_started.Value);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        // Half-open step: the frame at due + step is the next read's.
        var stepEnd = index.LastByteFor(dueSeconds + stepSeconds - 1e-9) + 1;
        var most = (int)Math.Clamp(stepEnd - _position, 1, buffer.Length);
        var read = await inner.ReadAsync(buffer[..most], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously: the stream is paced.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
