using System.Buffers.Binary;

namespace V2AStream.Core.Media;

/// <summary>
/// Tells, from the first bytes of an input, whether it is an MP4/MOV (ISO base media file, ISO/IEC 14496-12 section 4.2)
/// whose index (moov) comes after its media (mdat): such a file cannot be decoded from a pipe until its very last byte
/// has arrived. It walks the top-level boxes as the bytes go by (ftyp, free, skip...: headers only, their bodies are
/// skipped without being kept) and decides at the first moov or moof (streamable) or mdat (not). Input that does not
/// start like an ISO file, or whose layout its first 16 MiB do not tell, is <see cref="IsoLayout.Other"/>. Feed it chunks in order; not thread-safe.
/// </summary>
public sealed class IsoMediaLayout
{
    /// <summary>Past this many bytes without a decision (an odd file of huge boxes), it stops looking: ffmpeg decides.</summary>
    private const long MaxBytesInspected = 16L << 20;

    private static readonly HashSet<string> FirstBoxTypes = new(StringComparer.Ordinal) { "ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "sidx" };

    private readonly byte[] _header = new byte[16];
    private int _headerFilled;
    private long _skipBytes;
    private long _offset;
    private bool _first = true;

    /// <summary>The decision so far.</summary>
    public IsoLayout Layout { get; private set; } = IsoLayout.Undecided;

    /// <summary>Reads <paramref name="bytes"/>, the next bytes of the input; returns the decision so far.</summary>
    public IsoLayout Inspect(ReadOnlySpan<byte> bytes)
    {
        while (Layout == IsoLayout.Undecided && !bytes.IsEmpty)
        {
            if (_skipBytes > 0)
            {
                var skipped = (int)Math.Min(_skipBytes, bytes.Length);
                _skipBytes -= skipped;
                _offset += skipped;
                bytes = bytes[skipped..];
                continue;
            }

            var needed = _headerFilled < 8 ? 8 : 16;
            var take = Math.Min(needed - _headerFilled, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            _offset += take;
            bytes = bytes[take..];
            if (_headerFilled < needed)
            {
                continue;
            }

            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(_header);
            if (size == 1 && _headerFilled < 16)
            {
                continue; // a 64-bit size follows the type
            }

            var headerLength = size == 1 ? 16 : 8;
            if (size == 1)
            {
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8)), long.MaxValue);
            }

            Decide(System.Text.Encoding.ASCII.GetString(_header, 4, 4), size, headerLength);
            _headerFilled = 0;
        }

        return Layout;
    }

    /// <summary>The layout of the file at <paramref name="path"/>, from its first bytes.</summary>
    public static IsoLayout OfFile(string path)
    {
        using var file = File.OpenRead(path);
        var layout = new IsoMediaLayout();
        var buffer = new byte[64 * 1024];
        int read;
        while (layout.Layout == IsoLayout.Undecided && (read = file.Read(buffer)) > 0)
        {
            var result = layout.Inspect(buffer.AsSpan(0, read));
            if (result == IsoLayout.Undecided && layout._skipBytes > buffer.Length)
            {
                // Seek over a box body rather than read it.
                file.Seek(layout._skipBytes, SeekOrigin.Current);
                layout._offset += layout._skipBytes;
                layout._skipBytes = 0;
            }
        }

        return layout.Layout == IsoLayout.Undecided ? IsoLayout.Other : layout.Layout;
    }

    private void Decide(string type, long size, int headerLength)
    {
        if (_first)
        {
            _first = false;
            if (!FirstBoxTypes.Contains(type) || (size != 0 && size < headerLength))
            {
                Layout = IsoLayout.Other;
                return;
            }
        }

        switch (type)
        {
            case "moov" or "moof":
                Layout = IsoLayout.IndexFirst;
                return;
            case "mdat":
                Layout = IsoLayout.IndexAtEnd;
                return;
        }

        if (size == 0 || size < headerLength || _offset >= MaxBytesInspected)
        {
            // A box to the end of the file, a broken size, or too far in: not for us to judge.
            Layout = IsoLayout.Other;
            return;
        }

        _skipBytes = size - headerLength;
    }
}
