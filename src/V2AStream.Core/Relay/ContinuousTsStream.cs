namespace V2AStream.Core.Relay;

/// <summary>
/// The relay's video as one MPEG-TS stream with one clock, however often the source drops and comes back. Bytes from
/// the source reader arrive in any chunking and leave as whole packets; each reconnection starts its packets over at
/// ffmpeg's own start time, so they are held until the connection's first video frame and then shifted (PTS, DTS and
/// PCR) to follow the last frame of the connection before, one frame duration later: the publisher sees a continuous
/// stream, and every frame's time is known (<see cref="VideoFrameStart.Pts"/>, unwrapped past the 33-bit range). The
/// latest PAT and PMT packets are kept (<see cref="ProgramTables"/>) for a reader that joins mid-stream. Not
/// thread-safe: the relay's source loop owns it.
/// </summary>
public sealed class ContinuousTsStream
{
    private const long DefaultFrameDuration = TsPacket.ClockHz / 25;

    private readonly byte[] _partial = new byte[TsPacket.Size];
    private readonly List<byte[]> _held = [];
    private readonly Dictionary<int, byte[]> _programMaps = [];
    private int _partialLength;
    private byte[]? _programAssociation;
    private bool _holding = true;
    private long _shift;
    private Unwrapper _raw;
    private long? _lastPts;
    private long? _maxPts;
    private long? _lastDecodeTime;
    private long _frameDuration = DefaultFrameDuration;

    /// <summary>The presentation time of the first frame of all (the publisher's time zero), once one has arrived.</summary>
    public long? FirstPts { get; private set; }

    /// <summary>The presentation time of the latest frame.</summary>
    public long? LastPts => _lastPts;

    /// <summary>Seconds from the first frame of all to the latest frame.</summary>
    public double Seconds => FirstPts is { } first && _lastPts is { } last ? (last - first) / (double)TsPacket.ClockHz : 0;

    /// <summary>Where the video read so far ends: its last frame's presentation time plus one frame's duration.</summary>
    public long? EndPts => _maxPts + _frameDuration;

    /// <summary>The latest PAT packet and the PMT packets it names, to put in front of bytes that start mid-stream.</summary>
    public ReadOnlyMemory<byte> ProgramTables =>
        _programAssociation is null ? ReadOnlyMemory<byte>.Empty : (byte[])[.. _programAssociation, .. _programMaps.Values.SelectMany(p => p)];

    /// <summary>The bytes that follow come from a new connection to the source (the first call is optional).</summary>
    public void BeginConnection()
    {
        _partialLength = 0;
        _held.Clear();
        _holding = true;
        _raw = default;
    }

    /// <summary>Takes the next bytes of the current connection; returns the whole packets now ready, rewritten.</summary>
    public TsChunk Append(ReadOnlySpan<byte> bytes)
    {
        var output = new List<byte[]>();
        var frames = new List<(int Packet, long Pts, bool Keyframe)>();
        while (!bytes.IsEmpty)
        {
            if (_partialLength == 0 && bytes[0] != TsPacket.SyncByte)
            {
                // Lost sync (never seen from ffmpeg's muxer): skip to the next sync byte.
                var next = bytes.IndexOf(TsPacket.SyncByte);
                bytes = next < 0 ? ReadOnlySpan<byte>.Empty : bytes[next..];
                continue;
            }

            var take = Math.Min(TsPacket.Size - _partialLength, bytes.Length);
            bytes[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            bytes = bytes[take..];
            if (_partialLength == TsPacket.Size)
            {
                _partialLength = 0;
                OnPacket((byte[])_partial.Clone(), output, frames);
            }
        }

        if (output.Count == 0)
        {
            return TsChunk.Empty;
        }

        var data = new byte[output.Count * TsPacket.Size];
        for (var i = 0; i < output.Count; i++)
        {
            output[i].CopyTo(data, i * TsPacket.Size);
        }

        return new TsChunk(data, frames.Select(f => new VideoFrameStart(f.Packet * TsPacket.Size, f.Pts, f.Keyframe)).ToList());
    }

    private void OnPacket(byte[] packet, List<byte[]> output, List<(int Packet, long Pts, bool Keyframe)> frames)
    {
        var pid = TsPacket.Pid(packet);
        if (pid == TsPacket.ProgramAssociationPid && TsPacket.StartsPayload(packet))
        {
            _programAssociation = packet;
            foreach (var stale in _programMaps.Keys.Except(TsPacket.ProgramMapPids(packet)).ToList())
            {
                _programMaps.Remove(stale);
            }
        }
        else if (_programAssociation is not null && TsPacket.StartsPayload(packet) && TsPacket.ProgramMapPids(_programAssociation).Contains(pid))
        {
            _programMaps[pid] = packet;
        }

        var isVideoStart = TsPacket.TryFindVideoTimestamps(packet, out var ptsOffset, out var dtsOffset) && ptsOffset >= 0;
        if (_holding)
        {
            if (!isVideoStart)
            {
                _held.Add(packet);
                return;
            }

            StartShift(packet, ptsOffset, dtsOffset);
            _holding = false;
            foreach (var held in _held)
            {
                ShiftPcr(held);
                output.Add(held);
            }

            _held.Clear();
        }

        ShiftPcr(packet);
        if (isVideoStart)
        {
            var pts = Shifted(TsPacket.ReadTimestamp(packet.AsSpan(ptsOffset)));
            var decodeTime = dtsOffset >= 0 ? Shifted(TsPacket.ReadTimestamp(packet.AsSpan(dtsOffset))) : pts;
            TsPacket.WriteTimestamp(packet.AsSpan(ptsOffset), pts);
            if (dtsOffset >= 0)
            {
                TsPacket.WriteTimestamp(packet.AsSpan(dtsOffset), decodeTime);
            }

            if (_lastDecodeTime is { } previous && decodeTime > previous)
            {
                _frameDuration = decodeTime - previous;
            }

            _lastDecodeTime = decodeTime;
            _lastPts = pts;
            _maxPts = Math.Max(_maxPts ?? pts, pts);
            FirstPts ??= pts;
            frames.Add((output.Count, pts, TsPacket.IsRandomAccess(packet)));
        }

        output.Add(packet);
    }

    /// <summary>The shift that puts this connection's first frame one frame duration after the last one before it.</summary>
    private void StartShift(byte[] packet, int ptsOffset, int dtsOffset)
    {
        var pts = _raw.Extend(TsPacket.ReadTimestamp(packet.AsSpan(ptsOffset)));
        var decodeTime = dtsOffset >= 0 ? _raw.Extend(TsPacket.ReadTimestamp(packet.AsSpan(dtsOffset))) : pts;
        if (_maxPts is { } maxPts && _lastDecodeTime is { } lastDecodeTime)
        {
            // The new frame is shown after the last one shown, and decoded after the last one decoded.
            _shift = Math.Max(maxPts + _frameDuration - pts, lastDecodeTime + _frameDuration - decodeTime);
        }

        _raw = default;
    }

    private long Shifted(long rawTimestamp) => _raw.Extend(rawTimestamp) + _shift;

    private void ShiftPcr(byte[] packet)
    {
        var offset = TsPacket.PcrOffset(packet);
        if (offset >= 0 && _shift != 0)
        {
            TsPacket.WritePcrBase(packet.AsSpan(offset), TsPacket.ReadPcrBase(packet.AsSpan(offset)) + _shift);
        }
    }

    /// <summary>Extends 33-bit timestamps of one connection past their wrap (the nearest value to the one before).</summary>
    private struct Unwrapper
    {
        private long? _last;

        public long Extend(long raw)
        {
            if (_last is not { } last)
            {
                _last = raw;
                return raw;
            }

            var step = TsPacket.Wrap(raw - last);
            if (step >= TsPacket.TimestampModulus / 2)
            {
                step -= TsPacket.TimestampModulus;
            }

            _last = last + step;
            return _last.Value;
        }
    }
}
