namespace V2AStream.Testing;

/// <summary>Finds the repository root and the ../shared folder beside it from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding V2AStream.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>../shared next to the repository (or V2A_SHARED_DIR), or null when it is absent.</summary>
    public static string? Shared
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("V2A_SHARED_DIR");
            var path = string.IsNullOrEmpty(configured) ? Path.GetFullPath(Path.Combine(Root, "..", "shared")) : configured;
            return Directory.Exists(Path.Combine(path, "data")) ? path : null;
        }
    }

    /// <summary>The file under shared/data, or null when ../shared or the file is absent.</summary>
    public static string? SharedData(string relativePath)
    {
        if (Shared is not { } shared)
        {
            return null;
        }

        var path = Path.Combine(shared, "data", relativePath);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "V2AStream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"V2AStream.sln not found above {AppContext.BaseDirectory}.");
    }
}
