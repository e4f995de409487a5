namespace V2AStream.Core.Models;

/// <summary>
/// Finds model sets and their weight files. A <c>--model-set</c> value is "builtin", the name of a folder under one of
/// <see cref="SetDirectories"/> (the app's and the repository's <c>models/</c>), or a directory path. A file a manifest
/// names is looked up in the set's own folder, then each of <see cref="WeightDirectories"/> (directly and in a
/// sub-folder named after the set): <c>$V2A_MODELS_PATH</c> (colon-separated), <c>~/.cache/v2astream/models</c>, and
/// <c>../shared/data/models</c> beside the repository when it exists. Weights never live in git. Thread-safe.
/// </summary>
public sealed class ModelSetCatalog
{
    /// <summary>Colon-separated folders searched for weight files.</summary>
    public const string ModelsPathVariable = "V2A_MODELS_PATH";

    public ModelSetCatalog(IEnumerable<string> setDirectories, IEnumerable<string> weightDirectories, ModelPartRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(setDirectories);
        ArgumentNullException.ThrowIfNull(weightDirectories);
        Registry = registry ?? ModelPartRegistry.Default;
        SetDirectories = setDirectories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
        WeightDirectories = weightDirectories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Folders whose sub-folders are model sets, searched in order.</summary>
    public IReadOnlyList<string> SetDirectories { get; }

    /// <summary>Folders searched, in order, for weight files not in the set's own folder.</summary>
    public IReadOnlyList<string> WeightDirectories { get; }

    /// <summary>The model-part kinds manifests are read with.</summary>
    public ModelPartRegistry Registry { get; }

    /// <summary>
    /// The catalog for this program: sets from <c>AppContext.BaseDirectory/models</c> and the repository's <c>models/</c>
    /// (found above the app or the working directory), weights from the places listed on the type.
    /// </summary>
    public static ModelSetCatalog CreateDefault(Func<string, string?>? environment = null, ModelPartRegistry? registry = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var repository = FindRepository(AppContext.BaseDirectory) ?? FindRepository(Directory.GetCurrentDirectory());
        var sets = new List<string> { Path.Combine(AppContext.BaseDirectory, "models") };
        if (repository is not null)
        {
            sets.Insert(0, Path.Combine(repository, "models"));
        }

        var weights = new List<string>();
        if (environment(ModelsPathVariable) is { Length: > 0 } modelsPath)
        {
            weights.AddRange(modelsPath.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        weights.Add(Path.Combine(CacheDirectory(environment), "models"));
        if (repository is not null && Directory.Exists(Path.Combine(repository, "..", "shared", "data", "models")))
        {
            weights.Add(Path.Combine(repository, "..", "shared", "data", "models"));
        }

        return new ModelSetCatalog(sets, weights, registry);
    }

    /// <summary>The set a <c>--model-set</c> value names; throws <see cref="ModelSetException"/> (NotFound, InvalidManifest...) saying what exists.</summary>
    public ModelSetManifest Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (nameOrPath == ModelSetManifest.BuiltinName)
        {
            return ModelSetManifest.Builtin;
        }

        if (LooksLikePath(nameOrPath) || Directory.Exists(nameOrPath))
        {
            return ModelSetManifestReader.Read(nameOrPath, Registry);
        }

        foreach (var setDirectory in SetDirectories)
        {
            var candidate = Path.Combine(setDirectory, nameOrPath);
            if (File.Exists(Path.Combine(candidate, ModelSetManifest.FileName)))
            {
                return ModelSetManifestReader.Read(candidate, Registry);
            }
        }

        var known = new[] { ModelSetManifest.BuiltinName }.Concat(SetFolders().Select(Path.GetFileName)).Distinct();
        throw new ModelSetException(
            ModelSetErrorReason.NotFound,
            $"No model set '{nameOrPath}': use one of {string.Join(", ", known)}, or a folder holding {ModelSetManifest.FileName}.",
            nameOrPath);
    }

    /// <summary>The full path of <paramref name="fileName"/> for <paramref name="set"/>, or null when no search folder has it.</summary>
    public string? FindFile(ModelSetManifest set, string fileName)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (Path.IsPathRooted(fileName))
        {
            return File.Exists(fileName) ? fileName : null;
        }

        return SearchFolders(set).Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>Like <see cref="FindFile"/>, but throws <see cref="ModelSetException"/> (MissingFile) listing where it looked.</summary>
    public string ResolveFile(ModelSetManifest set, string fileName) =>
        FindFile(set, fileName) ?? throw new ModelSetException(
            ModelSetErrorReason.MissingFile,
            $"Model set '{set.Name}' needs {fileName}, which is missing from every folder it is looked for in ({string.Join(", ", SearchFolders(set))}): see models/README.md for how to get it, or put it in ${ModelsPathVariable}.",
            fileName);

    private IEnumerable<string> SearchFolders(ModelSetManifest set)
    {
        if (set.Directory is { } own)
        {
            yield return own;
        }

        var folderName = set.Directory is { } dir ? Path.GetFileName(dir) : set.Name;
        foreach (var weights in WeightDirectories)
        {
            yield return weights;
            yield return Path.Combine(weights, folderName);
        }
    }

    /// <summary>Every folder holding a <c>model-set.json</c> directly under <see cref="SetDirectories"/>, in order; a name found twice is listed once (the first wins, as in <see cref="Resolve"/>).</summary>
    public IEnumerable<string> SetFolders()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var setDirectory in SetDirectories.Where(Directory.Exists))
        {
            foreach (var folder in Directory.EnumerateDirectories(setDirectory).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(folder, ModelSetManifest.FileName)) && seen.Add(Path.GetFileName(folder)))
                {
                    yield return folder;
                }
            }
        }
    }

    private static bool LooksLikePath(string value) =>
        value.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || value.StartsWith('.') || value.StartsWith('~');

    private static string? FindRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "V2AStream.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    // Same rule as the ./v2a script: $V2A_CACHE_DIR, else $XDG_CACHE_HOME/v2astream, else ~/.cache/v2astream.
    private static string CacheDirectory(Func<string, string?> environment)
    {
        if (environment("V2A_CACHE_DIR") is { Length: > 0 } cache)
        {
            return cache;
        }

        var xdg = environment("XDG_CACHE_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "v2astream");
    }
}
