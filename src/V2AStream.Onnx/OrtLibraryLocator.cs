namespace V2AStream.Onnx;

/// <summary>
/// Where to look for libonnxruntime, in order: the V2A_ORT_LIB variable, the application folder,
/// then the per-user cache that <c>./v2a</c> fills from the onnxruntime-node npm package.
/// </summary>
public sealed class OrtLibraryLocator
{
    /// <summary>The ONNX Runtime release the project pins and <c>./v2a</c> installs.</summary>
    public const string PinnedVersion = "1.23.2";

    /// <summary>The environment variable that names the library file to use.</summary>
    public const string LibraryVariable = "V2A_ORT_LIB";

    private const string LibraryFileName = "libonnxruntime.so.1";

    private readonly Func<string, string?> _environment;
    private readonly string _applicationDirectory;

    public OrtLibraryLocator()
        : this(Environment.GetEnvironmentVariable, AppContext.BaseDirectory)
    {
    }

    public OrtLibraryLocator(Func<string, string?> environment, string applicationDirectory)
    {
        _environment = environment;
        _applicationDirectory = applicationDirectory;
    }

    /// <summary>The folder <c>./v2a</c> installs the pinned library into.</summary>
    public string CacheDirectory
    {
        get
        {
            var root = _environment("V2A_CACHE_DIR");
            if (string.IsNullOrEmpty(root))
            {
                var xdg = _environment("XDG_CACHE_HOME");
                var home = _environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                root = Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "v2astream");
            }

            return Path.Combine(root, "onnxruntime", PinnedVersion);
        }
    }

    /// <summary>The candidate files in search order, each with where it came from.</summary>
    public IReadOnlyList<(string Path, string Source)> Candidates()
    {
        var candidates = new List<(string, string)>();
        var explicitPath = _environment(LibraryVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            // An explicit choice is never silently replaced by another library.
            candidates.Add((explicitPath, LibraryVariable));
            return candidates;
        }

        candidates.Add((Path.Combine(_applicationDirectory, LibraryFileName), "application folder"));
        candidates.Add((Path.Combine(CacheDirectory, LibraryFileName), "v2a cache"));
        return candidates;
    }

    /// <summary>The first candidate that exists, or an <see cref="OrtException"/> listing every place searched.</summary>
    public string Locate()
    {
        var candidates = Candidates();
        foreach (var (path, _) in candidates)
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        var searched = string.Join("; ", candidates.Select(c => $"{c.Path} ({c.Source})"));
        throw new OrtException(
            OrtErrorCode.LibraryNotFound,
            $"ONNX Runtime library not found (looked in: {searched}). Run './v2a doctor' to install ONNX Runtime {PinnedVersion} into the cache, or set {LibraryVariable} to a libonnxruntime.so.1.");
    }
}
