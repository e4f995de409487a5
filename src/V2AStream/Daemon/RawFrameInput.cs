using System.IO.Pipelines;
using Grpc.Core;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// The RawFrame input of one Generate call: checks each frame against the declared size and the pts order
/// (INVALID_ARGUMENT naming the frame otherwise) and writes it into ffmpeg's rawvideo pipe at its slot of the declared
/// rate, so the media clock follows the client's pts: a frame in the slot of the one before is dropped, a gap of up to
/// <see cref="MaxFilledGapSeconds"/> repeats the frame before (what ffmpeg's fps filter does for container input), and a
/// longer gap starts a new segment right after the frame before, never filled (DESIGN.md section 8). Not thread-safe:
/// one call's request pump owns it.
/// </summary>
internal sealed class RawFrameInput(RawVideoFormat format)
{
    /// <summary>The longest gap between two frames' pts that is filled by repeating the frame before.</summary>
    public const double MaxFilledGapSeconds = 2;

    private long _received;
    private long _lastPtsUs;
    private long _segmentStartPtsUs;
    private long _segmentStartSlot;
    private long _lastSlot = -1;
    private ReadOnlyMemory<byte> _previous;

    /// <summary>Frames written into the pipe so far, repeats included: the raw stream's length in frames of the declared rate.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Checks <paramref name="frame"/> and writes it (and any repeats) to <paramref name="pipe"/>; returns false once ffmpeg stopped reading.</summary>
    public async ValueTask<bool> WriteAsync(RawFrame frame, PipeWriter pipe, CancellationToken cancellationToken)
    {
        var index = _received++;
        if (frame.Data.Length != format.FrameBytes)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"RawFrame {index} (pts_us {frame.PtsUs}) has {frame.Data.Length} bytes; a {format} frame has {format.FrameBytes}."));
        }

        if (index > 0 && frame.PtsUs <= _lastPtsUs)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"RawFrame {index} (pts_us {frame.PtsUs}) is not after RawFrame {index - 1} (pts_us {_lastPtsUs}): frames must come in increasing pts."));
        }

        _lastPtsUs = frame.PtsUs;
        var slot = Slot(index, frame.PtsUs);
        if (slot <= _lastSlot)
        {
            return true;
        }

        for (var repeat = _lastSlot + 1; repeat < slot; repeat++)
        {
            if (!await WriteFrameAsync(_previous, pipe, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        _lastSlot = slot;
        _previous = frame.Data.Memory;
        return await WriteFrameAsync(_previous, pipe, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The frame slot of the declared rate that <paramref name="ptsUs"/> falls in, counted from the first frame.</summary>
    private long Slot(long index, long ptsUs)
    {
        if (index == 0)
        {
            _segmentStartPtsUs = ptsUs;
            return 0;
        }

        var slot = _segmentStartSlot + (long)Math.Round((ptsUs - _segmentStartPtsUs) * format.FramesPerSecond / 1e6, MidpointRounding.AwayFromZero);
        if (slot - _lastSlot > MaxFilledGapSeconds * format.FramesPerSecond)
        {
            // Too long a gap to show the frame before for it: the media clock goes on right after that frame.
            _segmentStartPtsUs = ptsUs;
            _segmentStartSlot = _lastSlot + 1;
            return _segmentStartSlot;
        }

        return slot;
    }

    private async ValueTask<bool> WriteFrameAsync(ReadOnlyMemory<byte> data, PipeWriter pipe, CancellationToken cancellationToken)
    {
        FramesWritten++;
        var result = await pipe.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        return !result.IsCompleted;
    }
}
