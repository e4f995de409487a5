using System.Diagnostics;
using System.Globalization;
using V2AStream.Core.Media;

namespace V2AStream.Client;

/// <summary>
/// Where media time lives in a file: for each video packet its presentation time and the byte just past it, from
/// ffprobe. The bytes needed to show the frame at t are those up to the furthest packet presented at or before t
/// (B-frames make file order and presentation order differ). Immutable.
/// </summary>
internal sealed class MediaByteIndex
{
    private readonly double[] _times;
    private readonly long[] _furthestEnd;

    /// <param name="packets">Presentation time (seconds, from the first packet) and end byte of each video packet.</param>
    public MediaByteIndex(IEnumerable<(double Seconds, long EndByte)> packets)
    {
        var sorted = packets.OrderBy(p => p.Seconds).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("An index needs at least one packet.", nameof(packets));
        }

        _times = new double[sorted.Length];
        _furthestEnd = new long[sorted.Length];
        long furthest = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            furthest = Math.Max(furthest, sorted[i].EndByte);
            _times[i] = sorted[i].Seconds - sorted[0].Seconds;
            _furthestEnd[i] = furthest;
        }
    }

    /// <summary>The last byte that must have been sent for the frame at <paramref name="mediaSeconds"/> to be decodable.</summary>
    public long LastByteFor(double mediaSeconds)
    {
        var at = Array.BinarySearch(_times, mediaSeconds);
        var i = at >= 0 ? at : Math.Max(0, ~at - 1);
        return _furthestEnd[i] - 1;
    }

    /// <summary>The first media time that needs byte <paramref name="byteIndex"/>: when a 1x sender (ffmpeg -re) sends it.</summary>
    public double SecondsAtByte(long byteIndex)
    {
        var low = 0;
        var high = _furthestEnd.Length - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_furthestEnd[middle] > byteIndex)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _times[low];
    }

    /// <summary>Reads the index of <paramref name="path"/>'s first video stream with ffprobe; null when ffprobe gives none.</summary>
    public static async Task<MediaByteIndex?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,pos,size", "-of", "csv=p=0", path })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = await ChildProcessLauncher.Shared.StartAsync(startInfo, FrameReaderOptions.DefaultMemoryLimitBytes).ConfigureAwait(false);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var packets = new List<(double, long)>();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var fields = line.Split(',');
            if (fields.Length >= 3
                && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var position))
            {
                packets.Add((seconds, position + size));
            }
        }

        await errors.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0 && packets.Count > 0 ? new MediaByteIndex(packets) : null;
    }
}
