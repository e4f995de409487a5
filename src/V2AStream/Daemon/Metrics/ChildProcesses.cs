namespace V2AStream.Daemon.Metrics;

/// <summary>Counts a process's direct children from /proc (Linux); 0 where /proc is not there.</summary>
internal static class ChildProcesses
{
    public static int Count(int processId)
    {
        var tasks = $"/proc/{processId}/task";
        if (!Directory.Exists(tasks))
        {
            return 0;
        }

        var children = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    children.Add(child);
                }
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return children.Count;
    }
}
