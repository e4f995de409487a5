using System.Diagnostics;

namespace V2AStream.Bench;

/// <summary>What every bench console needs: the repository root, the load average, medians, percentiles, child runs and its bench/README.md section. Linked into each bench project.</summary>
internal static class BenchSupport
{
    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "V2AStream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("V2AStream.sln not found");
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The value below which <paramref name="fraction"/> of the sorted values lie (nearest rank).</summary>
    public static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// Replaces the section under <paramref name="heading"/> ("## ...") of bench/README.md at <paramref name="path"/> with the
    /// command that made it, the time, and <paramref name="body"/>; appends the section when there is none.
    /// </summary>
    public static void UpdateReadmeSection(string path, string heading, string command, string body)
    {
        var section = $"{heading}\n\nCommand: `{command}` (last run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC).\n\n{body.TrimEnd()}\n";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            text = text.TrimEnd() + "\n\n" + section;
        }
        else
        {
            var end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            text = text[..start] + section + (end < 0 ? string.Empty : text[end..]);
        }

        File.WriteAllText(path, text);
    }

    /// <summary>Runs a program to its end; a non-zero exit throws with its stderr.</summary>
    public static void Run(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed ({process.ExitCode}): {error}");
        }
    }
}
