using Xunit;

namespace V2AStream.Testing;

/// <summary>A theory that needs files from ../shared/data: skipped, with the reason, only when they are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => RepositoryPaths.SharedData(p) is null).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs ../shared/data/{string.Join(", ../shared/data/", missing)}, which is absent on this machine";
        }
    }
}
