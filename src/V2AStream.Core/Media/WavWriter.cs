using System.Buffers;
using System.Buffers.Binary;

namespace V2AStream.Core.Media;

/// <summary>
/// Writes a WAV file as samples arrive. The header is written first with placeholder sizes and patched
/// when the writer is disposed, if the stream can seek; on a pipe the sizes stay 0xFFFFFFFF, which
/// ffmpeg and most readers take as "until the end". Samples are interleaved floats; 16-bit output
/// clips to [-1, 1] and rounds to nearest. Not thread-safe.
/// </summary>
public sealed class WavWriter : IDisposable, IAsyncDisposable
{
    private const int FormatPcm = 1;
    private const int FormatIeeeFloat = 3;
    private const uint UnknownSize = 0xFFFFFFFF;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _headerStart;
    private readonly int _headerLength;
    private long _dataBytes;
    private bool _disposed;

    public WavWriter(Stream stream, int sampleRate, int channels, WavSampleFormat format, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 8);
        _stream = stream;
        _leaveOpen = leaveOpen;
        SampleRate = sampleRate;
        Channels = channels;
        Format = format;
        _headerStart = stream.CanSeek ? stream.Position : 0;
        var header = BuildHeader(UnknownSize, sampleRate, channels, format);
        _headerLength = header.Length;
        stream.Write(header);
    }

    public int SampleRate { get; }

    public int Channels { get; }

    public WavSampleFormat Format { get; }

    /// <summary>Frames (samples per channel) written so far.</summary>
    public long FramesWritten => _dataBytes / BytesPerSample / Channels;

    private int BytesPerSample => PcmEncoder.BytesPerSample(Format);

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static WavWriter Create(string path, int sampleRate, int channels, WavSampleFormat format) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), sampleRate, channels, format);

    /// <summary>Appends interleaved samples; the count must be a multiple of <see cref="Channels"/>.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        var bytes = Encode(interleaved, out var buffer);
        try
        {
            _stream.Write(buffer.AsSpan(0, bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends interleaved samples asynchronously.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<float> interleaved, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(interleaved.Span, out var buffer);
        try
        {
            await _stream.WriteAsync(buffer.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            PatchSizes();
            _stream.Flush();
        }
        finally
        {
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            PatchSizes();
            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private int Encode(ReadOnlySpan<float> interleaved, out byte[] buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interleaved.Length % Channels != 0)
        {
            throw new ArgumentException($"{interleaved.Length} samples is not a whole number of {Channels}-channel frames.", nameof(interleaved));
        }

        var bytes = interleaved.Length * BytesPerSample;
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));
        PcmEncoder.Encode(interleaved, Format, buffer);
        _dataBytes += bytes;
        return bytes;
    }

    private void PatchSizes()
    {
        if (!_stream.CanSeek)
        {
            return;
        }

        var end = _stream.Position;
        var dataSize = _dataBytes <= uint.MaxValue - _headerLength ? (uint)_dataBytes : UnknownSize;
        var header = BuildHeader(dataSize, SampleRate, Channels, Format);
        _stream.Position = _headerStart;
        _stream.Write(header);
        _stream.Position = end;
    }

    /// <summary>The header of a WAV stream of unknown length (sizes 0xFFFFFFFF), for audio sent before its end is known.</summary>
    public static byte[] StreamingHeader(int sampleRate, int channels, WavSampleFormat format) =>
        BuildHeader(UnknownSize, sampleRate, channels, format);

    private static byte[] BuildHeader(uint dataSize, int sampleRate, int channels, WavSampleFormat format)
    {
        var isFloat = format == WavSampleFormat.Float32;
        var bytesPerSample = PcmEncoder.BytesPerSample(format);
        var fmtSize = isFloat ? 18 : 16;
        var headerLength = 12 + 8 + fmtSize + (isFloat ? 12 : 0) + 8;
        var header = new byte[headerLength];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], dataSize == UnknownSize ? UnknownSize : (uint)(headerLength - 8 + dataSize));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)(isFloat ? FormatIeeeFloat : FormatPcm));
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)(8 * bytesPerSample));
        var offset = 36;
        if (isFloat)
        {
            // cbSize 0, then the 'fact' chunk that non-PCM formats carry (frames per channel).
            BinaryPrimitives.WriteUInt16LittleEndian(span[36..], 0);
            "fact"u8.CopyTo(span[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(span[46..], dataSize == UnknownSize ? UnknownSize : (uint)(dataSize / (uint)(channels * bytesPerSample)));
            offset = 50;
        }

        "data"u8.CopyTo(span[offset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 4)..], dataSize);
        return header;
    }
}
