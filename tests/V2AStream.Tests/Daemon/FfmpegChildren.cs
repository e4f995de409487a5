using System.Globalization;

namespace V2AStream.Tests.Daemon;

/// <summary>This process's ffmpeg children, read from /proc (a zombie counts: it was not reaped).</summary>
internal static class FfmpegChildren
{
    public static int Count()
    {
        var count = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            var name = stat[(open + 1)..close];
            var parent = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            if (parent == Environment.ProcessId && name == "ffmpeg")
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every ffmpeg child to be gone; returns how many are left.</summary>
    public static async Task<int> WaitUntilNoneAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int left;
        while ((left = Count()) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return left;
    }
}
