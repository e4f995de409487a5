using System.Buffers;

namespace V2AStream.Core.Media;

/// <summary>
/// One sampled frame: RGB24 pixels, rows top to bottom, stride <c>Width * 3</c>, at media time
/// <see cref="TimeSeconds"/> = index / sample fps. The receiver owns the frame and must dispose it once the
/// pixels are no longer needed; disposing returns the pooled buffer, after which <see cref="Pixels"/> is invalid.
/// Not thread-safe.
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private byte[]? _buffer;
    private readonly bool _pooled;

    /// <summary>A frame over caller-owned <paramref name="pixels"/> (length at least width*height*3), not pooled.</summary>
    public VideoFrame(int index, double timeSeconds, int width, int height, byte[] pixels)
        : this(index, timeSeconds, width, height, pixels, pooled: false)
    {
    }

    internal VideoFrame(int index, double timeSeconds, int width, int height, byte[] buffer, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, width * height * 3, nameof(buffer));
        Index = index;
        TimeSeconds = timeSeconds;
        Width = width;
        Height = height;
        _buffer = buffer;
        _pooled = pooled;
    }

    /// <summary>0 for the first sampled frame.</summary>
    public int Index { get; }

    /// <summary>Media time in seconds from the first sampled frame.</summary>
    public double TimeSeconds { get; }

    /// <summary>Media time in microseconds (rounded).</summary>
    public long TimeUs => (long)Math.Round(TimeSeconds * 1_000_000);

    public int Width { get; }

    public int Height { get; }

    /// <summary>The RGB24 pixels (exactly width*height*3 bytes).</summary>
    public ReadOnlyMemory<byte> Pixels =>
        _buffer is { } buffer ? buffer.AsMemory(0, Width * Height * 3) : throw new ObjectDisposedException(nameof(VideoFrame));

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
