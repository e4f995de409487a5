namespace V2AStream.Core.Tests.Embedding;

/// <summary>A fact that cross-checks against NumPy: skipped, with the reason, only when /usr/bin/python3 is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonNumpyFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    public PythonNumpyFactAttribute()
    {
        if (!File.Exists(Python))
        {
            Skip = $"needs {Python} with numpy (Debian: apt-get install python3-numpy), which is absent on this machine";
        }
    }
}
