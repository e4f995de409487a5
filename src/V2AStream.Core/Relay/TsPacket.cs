namespace V2AStream.Core.Relay;

/// <summary>
/// Reading and rewriting the few fields of an MPEG-TS packet (ISO/IEC 13818-1) the relay needs: the PID, the
/// payload start, the random access flag, the PCR of the adaptation field, and the PTS/DTS of a PES header. Timestamps
/// are 33-bit counts of a 90 kHz clock (the PCR's base; its 27 MHz extension is kept as it is).
/// </summary>
internal static class TsPacket
{
    public const int Size = 188;
    public const byte SyncByte = 0x47;
    public const int ProgramAssociationPid = 0;
    public const long ClockHz = 90_000;
    public const long TimestampModulus = 1L << 33;

    public static int Pid(ReadOnlySpan<byte> packet) => ((packet[1] & 0x1f) << 8) | packet[2];

    public static bool StartsPayload(ReadOnlySpan<byte> packet) => (packet[1] & 0x40) != 0;

    /// <summary>The random access indicator: ffmpeg's muxer sets it on the packet that starts a key frame.</summary>
    public static bool IsRandomAccess(ReadOnlySpan<byte> packet) => HasAdaptationField(packet) && packet[4] > 0 && (packet[5] & 0x40) != 0;

    /// <summary>Where the payload starts in the packet, or -1 when it has none.</summary>
    public static int PayloadOffset(ReadOnlySpan<byte> packet)
    {
        var control = (packet[3] >> 4) & 3;
        if ((control & 1) == 0)
        {
            return -1;
        }

        var offset = (control & 2) != 0 ? 5 + packet[4] : 4;
        return offset < Size ? offset : -1;
    }

    /// <summary>Offset of the 6-byte PCR in the packet, or -1 when it carries none.</summary>
    public static int PcrOffset(ReadOnlySpan<byte> packet) =>
        HasAdaptationField(packet) && packet[4] >= 7 && (packet[5] & 0x10) != 0 ? 6 : -1;

    /// <summary>
    /// For a packet that starts a video PES (stream id 0xE0-0xEF), the offsets of its PTS and DTS fields (-1 when absent);
    /// false for anything else.
    /// </summary>
    public static bool TryFindVideoTimestamps(ReadOnlySpan<byte> packet, out int ptsOffset, out int dtsOffset)
    {
        ptsOffset = dtsOffset = -1;
        var payload = PayloadOffset(packet);
        if (!StartsPayload(packet) || payload < 0 || payload + 14 > Size)
        {
            return false;
        }

        var pes = packet[payload..];
        if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || (pes[3] & 0xf0) != 0xe0)
        {
            return false;
        }

        var flags = pes[7] >> 6;
        if ((flags & 2) != 0)
        {
            ptsOffset = payload + 9;
        }

        if (flags == 3 && payload + 19 <= Size)
        {
            dtsOffset = payload + 14;
        }

        return true;
    }

    public static long ReadTimestamp(ReadOnlySpan<byte> field) =>
        (((long)(field[0] >> 1) & 7) << 30) | ((long)field[1] << 22) | ((long)(field[2] >> 1) << 15) | ((long)field[3] << 7) | ((long)field[4] >> 1);

    /// <summary>Writes <paramref name="timestamp"/> (mod 2^33) into a PTS/DTS field, keeping its 4-bit prefix and marker bits.</summary>
    public static void WriteTimestamp(Span<byte> field, long timestamp)
    {
        var value = Wrap(timestamp);
        field[0] = (byte)((field[0] & 0xf0) | (int)(((value >> 30) & 7) << 1) | 1);
        field[1] = (byte)(value >> 22);
        field[2] = (byte)((((value >> 15) & 0x7f) << 1) | 1);
        field[3] = (byte)(value >> 7);
        field[4] = (byte)(((value & 0x7f) << 1) | 1);
    }

    /// <summary>The PCR's 33-bit base (90 kHz).</summary>
    public static long ReadPcrBase(ReadOnlySpan<byte> field) =>
        ((long)field[0] << 25) | ((long)field[1] << 17) | ((long)field[2] << 9) | ((long)field[3] << 1) | ((long)field[4] >> 7);

    /// <summary>Writes the PCR's base (mod 2^33), keeping its reserved bits and 27 MHz extension.</summary>
    public static void WritePcrBase(Span<byte> field, long pcrBase)
    {
        var value = Wrap(pcrBase);
        field[0] = (byte)(value >> 25);
        field[1] = (byte)(value >> 17);
        field[2] = (byte)(value >> 9);
        field[3] = (byte)(value >> 1);
        field[4] = (byte)((field[4] & 0x7f) | (int)((value & 1) << 7));
    }

    /// <summary>The PMT PIDs a PAT packet lists (program 0, the network PID, excluded).</summary>
    public static IEnumerable<int> ProgramMapPids(byte[] packet)
    {
        var payload = PayloadOffset(packet);
        if (!StartsPayload(packet) || payload < 0)
        {
            yield break;
        }

        var section = payload + 1 + packet[payload];
        if (section + 8 > Size || packet[section] != 0)
        {
            yield break;
        }

        var sectionLength = ((packet[section + 1] & 0x0f) << 8) | packet[section + 2];
        var end = Math.Min(section + 3 + sectionLength - 4, Size);
        for (var entry = section + 8; entry + 4 <= end; entry += 4)
        {
            var program = (packet[entry] << 8) | packet[entry + 1];
            if (program != 0)
            {
                yield return ((packet[entry + 2] & 0x1f) << 8) | packet[entry + 3];
            }
        }
    }

    public static long Wrap(long timestamp) => ((timestamp % TimestampModulus) + TimestampModulus) % TimestampModulus;

    private static bool HasAdaptationField(ReadOnlySpan<byte> packet) => (packet[3] & 0x20) != 0;
}
