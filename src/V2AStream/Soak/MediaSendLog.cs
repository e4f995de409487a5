using V2AStream.Client;

namespace V2AStream.Soak;

/// <summary>
/// When each byte of a paced input went out, so the send time of media time t can be derived (DESIGN.md section 3
/// measures a chunk's latency from the frame at its end). With an index the input is paced by media time
/// (<see cref="MediaPacedStream"/>: byte b is due at pacing start + the first media time that needs it); without
/// one, bytes are paced evenly over the duration. When the server held the client back a byte went out later
/// than due, and that later time is the one used. Media time t lives in the bytes up to <see cref="MediaByteIndex"/>'s answer
/// (the container's packet positions), or, without an index, at the same fraction of the file as of the duration.
/// Times are seconds on the caller's clock. Thread-safe: the sender writes, the receiver reads.
/// </summary>
/// <param name="pacingOriginSeconds">When the pacing clock started, for a call that goes on part way through the media (a
/// reconnected call); null: the first message's time.</param>
internal sealed class MediaSendLog(long totalBytes, double durationSeconds, MediaByteIndex? index = null, double? pacingOriginSeconds = null)
{
    private readonly List<(long EndByte, double Seconds)> _messages = [];
    private readonly Lock _lock = new();

    /// <summary>A message went out at <paramref name="seconds"/>, bringing the bytes sent to <paramref name="bytesSent"/>.</summary>
    public void OnSent(long bytesSent, double seconds)
    {
        lock (_lock)
        {
            _messages.Add((bytesSent, seconds));
        }
    }

    /// <summary>When the last byte needed for media time <paramref name="mediaSeconds"/> was sent; NaN before any byte was.</summary>
    public double SendTimeOf(double mediaSeconds)
    {
        var clamped = Math.Clamp(mediaSeconds, 0, durationSeconds);
        var byteIndex = index?.LastByteFor(clamped)
            ?? (long)Math.Floor((durationSeconds > 0 ? clamped / durationSeconds : 1) * totalBytes);
        return SendTimeOfByte(Math.Clamp(byteIndex, 0, totalBytes - 1));
    }

    private double SendTimeOfByte(long byteIndex)
    {
        lock (_lock)
        {
            if (_messages.Count == 0)
            {
                return double.NaN;
            }

            var low = 0;
            var high = _messages.Count - 1;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_messages[middle].EndByte > byteIndex)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            var paced = index?.SecondsAtByte(byteIndex) ?? (totalBytes > 0 ? (double)byteIndex / totalBytes * durationSeconds : 0);
            var scheduled = (pacingOriginSeconds ?? _messages[0].Seconds) + paced;
            return Math.Max(scheduled, _messages[low].Seconds);
        }
    }
}
