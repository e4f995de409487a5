using System.Globalization;
using Microsoft.Extensions.Logging;

namespace V2AStream.Core.Tests.Media;

/// <summary>The process table as seen in /proc: which ffmpeg children of this test process exist.</summary>
internal static class ChildProcesses
{
    /// <summary>Whether <paramref name="pid"/> is still a child of this process (a zombie counts: it was not reaped).</summary>
    public static bool IsChild(int pid)
    {
        var stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        string text;
        try
        {
            text = File.ReadAllText(stat);
        }
        catch (IOException)
        {
            return false;
        }

        // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture) == Environment.ProcessId;
    }
}

/// <summary>Collects the pids the media code logs as started, so a test can look them up in /proc.</summary>
internal sealed class StartedProcessLog<T> : ILogger<T>
{
    private readonly List<int> _pids = [];

    public IReadOnlyList<int> Pids
    {
        get
        {
            lock (_pids)
            {
                return [.. _pids];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> fields && eventId.Id == 1100
            && fields.FirstOrDefault(f => f.Key == "ProcessId").Value is int pid)
        {
            lock (_pids)
            {
                _pids.Add(pid);
            }
        }
    }
}
