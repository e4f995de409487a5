using System.Globalization;

namespace V2AStream.Bench.Streaming;

/// <summary>
/// CPU seconds of this process and of its waited-for children (ffmpeg, once FrameReader has reaped it), from
/// /proc/self/stat (utime, stime, cutime, cstime in clock ticks; 100 per second on Linux x64).
/// </summary>
internal readonly record struct CpuTimes(double SelfSeconds, double ChildrenSeconds)
{
    private const double TicksPerSecond = 100;

    public static CpuTimes Now()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime field 14.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return new CpuTimes(Field(14) + Field(15), Field(16) + Field(17));
    }

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.SelfSeconds - before.SelfSeconds, after.ChildrenSeconds - before.ChildrenSeconds);
}
