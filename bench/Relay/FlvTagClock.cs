using System.Diagnostics;

namespace V2AStream.Bench.Relay;

/// <summary>
/// Reads an FLV byte stream as a viewer receives it (ffmpeg -c copy -f flv -flush_packets 1 on stdout) and notes, for
/// every audio frame and video frame, its presentation time and the wall time its last byte arrived. Sequence headers
/// are skipped. The bytes are also written to a file for the analysis afterwards.
/// </summary>
internal sealed class FlvTagClock
{
    private readonly List<byte> _pending = [];
    private bool _headerRead;

    public List<(double Pts, long Arrived)> Audio { get; } = [];

    public List<(double Pts, long Arrived)> Video { get; } = [];

    public async Task ReadAsync(Stream flv, string copyPath)
    {
        await using var copy = File.Create(copyPath);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await flv.ReadAsync(buffer)) > 0)
        {
            var arrived = Stopwatch.GetTimestamp();
            await copy.WriteAsync(buffer.AsMemory(0, read));
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
            Parse(arrived);
        }
    }

    private void Parse(long arrived)
    {
        var data = _pending.ToArray();
        var offset = 0;
        if (!_headerRead)
        {
            if (data.Length < 13)
            {
                return;
            }

            offset = (data[5] << 24 | data[6] << 16 | data[7] << 8 | data[8]) + 4;
            _headerRead = true;
        }

        while (data.Length - offset >= 11)
        {
            var type = data[offset];
            var size = data[offset + 1] << 16 | data[offset + 2] << 8 | data[offset + 3];
            if (data.Length - offset < 11 + size + 4)
            {
                break;
            }

            var dts = data[offset + 7] << 24 | data[offset + 4] << 16 | data[offset + 5] << 8 | data[offset + 6];
            var body = offset + 11;
            if (type == 8 && size > 2 && data[body + 1] == 1)
            {
                Audio.Add((dts / 1000.0, arrived));
            }
            else if (type == 9 && size > 5 && data[body + 1] == 1)
            {
                // AVC: the composition time (signed 24 bits) turns the tag's decode time into the frame's presentation time.
                var composition = (data[body + 2] << 16 | data[body + 3] << 8 | data[body + 4]) << 8 >> 8;
                Video.Add(((dts + composition) / 1000.0, arrived));
            }

            offset += 11 + size + 4;
        }

        _pending.RemoveRange(0, offset);
    }
}
