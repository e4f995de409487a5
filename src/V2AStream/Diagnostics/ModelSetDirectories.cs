namespace V2AStream.Diagnostics;

/// <summary>The model-set folders shipped with the program: every models/NAME/ that holds a model-set.json.</summary>
internal static class ModelSetDirectories
{
    public static IReadOnlyList<string> Discover()
    {
        var result = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var models = Path.Combine(dir.FullName, "models");
            if (Directory.Exists(models))
            {
                result.AddRange(Directory.GetDirectories(models)
                    .Where(d => File.Exists(Path.Combine(d, Core.Models.ModelSetManifest.FileName)))
                    .Order(StringComparer.Ordinal));
                break;
            }
        }

        return result;
    }
}
