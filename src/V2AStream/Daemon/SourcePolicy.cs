namespace V2AStream.Daemon;

/// <summary>
/// What GenerateFromSource and DetectScenes may open (DESIGN.md section 8): files only under the
/// configured roots (after resolving "..", and symbolic links, so no path escapes a root), URLs only
/// with an allowed scheme. The default allows nothing, so a remote client can neither read local files
/// nor make the daemon fetch arbitrary URLs.
/// </summary>
internal sealed class SourcePolicy(IReadOnlyList<string> allowRoots, IReadOnlyList<string> allowSchemes)
{
    private readonly string[] _roots = allowRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
    private readonly HashSet<string> _schemes = new(allowSchemes.Select(s => s.Trim().ToLowerInvariant()), StringComparer.Ordinal);

    public bool AllowsNothing => _roots.Length == 0 && _schemes.Count == 0;

    public IReadOnlyCollection<string> Schemes => _schemes;

    /// <summary>Returns the file path or URL to open, or null with the reason it is refused.</summary>
    public string? Check(string source, out string? refusal)
    {
        refusal = null;
        if (string.IsNullOrWhiteSpace(source))
        {
            refusal = "source is empty: give a path under an allowed root or a URL with an allowed scheme.";
            return null;
        }

        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1)
        {
            if (_schemes.Contains(uri.Scheme.ToLowerInvariant()))
            {
                return source;
            }

            refusal = _schemes.Count == 0
                ? $"URL scheme '{uri.Scheme}' is not allowed: this server allows no URL sources (start it with --allow-scheme)."
                : $"URL scheme '{uri.Scheme}' is not allowed; allowed: {string.Join(", ", _schemes.Order(StringComparer.Ordinal))}.";
            return null;
        }

        var path = uri is { IsFile: true } ? uri.LocalPath : source;
        if (!Path.IsPathFullyQualified(path))
        {
            refusal = "a file source must be an absolute path.";
            return null;
        }

        var resolved = Resolve(path);
        foreach (var root in _roots)
        {
            var resolvedRoot = Resolve(root);
            if (resolved.StartsWith(resolvedRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return resolved;
            }
        }

        refusal = _roots.Length == 0
            ? "file sources are not allowed: this server has no allowed roots (start it with --allow-root DIR)."
            : "the path is outside the allowed roots.";
        return null;
    }

    /// <summary>The full path with "..", and every symbolic link along it, resolved.</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                current = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current;
            }
        }

        return current;
    }
}
