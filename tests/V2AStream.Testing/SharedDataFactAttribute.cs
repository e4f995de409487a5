using Xunit;

namespace V2AStream.Testing;

/// <summary>
/// A fact that needs files from ../shared/data: it is skipped, with the reason, only when they are absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => RepositoryPaths.SharedData(p) is null).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs ../shared/data/{string.Join(", ../shared/data/", missing)}, which is absent on this machine";
        }
    }
}
