using V2AStream.Core.Media;

namespace V2AStream.Daemon;

/// <summary>
/// What GenerateFromSource and DetectScenes may open (DESIGN.md section 8). Files only under the configured roots: the
/// whole path is resolved first (realpath: every component, chains of links, loops), the resolved path is checked,
/// and exactly that path is opened, without following any link (<see cref="AllowedSource"/>). URLs only with an allowed
/// scheme, and only to the URL's own host when it is public or to the hosts --allow-host lists (<see cref="SourceHosts"/>).
/// The default allows nothing, so a remote client can neither read local files nor make the daemon fetch URLs; with
/// no roots configured the file system is not even looked at. Paths outside the roots are refused alike whether or not
/// they exist. Thread-safe.
/// </summary>
internal sealed class SourcePolicy(IReadOnlyList<string> allowRoots, IReadOnlyList<string> allowSchemes, IReadOnlyList<string> allowHosts)
{
    private readonly string[] _roots = allowRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
    private readonly HashSet<string> _schemes = new(allowSchemes.Select(s => s.Trim().ToLowerInvariant()), StringComparer.Ordinal);
    private readonly HostAllowList _hosts = new(allowHosts);

    public IReadOnlyCollection<string> Schemes => _schemes;

    /// <summary>The source to open, or <see cref="SourceRefusedException"/> saying why not.</summary>
    public async Task<AllowedSource> CheckAsync(string source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            throw Refuse(SourceRefusal.Invalid, "source is empty: give a path under an allowed root or a URL with an allowed scheme.");
        }

        if (source.Any(char.IsControl))
        {
            throw Refuse(SourceRefusal.Invalid, "source contains control characters (a NUL byte, a line break...): give a plain path or URL.");
        }

        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1)
        {
            return await CheckUrlAsync(source, uri, cancellationToken).ConfigureAwait(false);
        }

        return CheckFile(uri is { IsFile: true } ? uri.LocalPath : source);
    }

    private async Task<AllowedSource> CheckUrlAsync(string source, Uri uri, CancellationToken cancellationToken)
    {
        var scheme = uri.Scheme.ToLowerInvariant();
        if (!_schemes.Contains(scheme))
        {
            throw Refuse(SourceRefusal.Denied, _schemes.Count == 0
                ? $"URL scheme '{uri.Scheme}' is not allowed: this server allows no URL sources (start it with --allow-scheme)."
                : $"URL scheme '{uri.Scheme}' is not allowed; allowed: {string.Join(", ", _schemes.Order(StringComparer.Ordinal))}.");
        }

        if (!MediaSource.UrlSchemes.Contains(scheme))
        {
            throw Refuse(SourceRefusal.Invalid, $"URL scheme '{uri.Scheme}' cannot be read; use one of {string.Join(", ", MediaSource.UrlSchemes)}.");
        }

        var hosts = new SourceHosts(uri.Host, _hosts);
        if (uri.Host.Length == 0 || ListensOnly(scheme, uri))
        {
            // The daemon listens (on the address named) and connects nowhere: no host to check.
            return AllowedSource.Url(source, scheme, hosts, connectTo: null);
        }

        var decision = await hosts.CheckAsync(uri.Host, cancellationToken).ConfigureAwait(false);
        return decision.Address is { } address
            ? AllowedSource.Url(source, scheme, hosts, address)
            : throw Refuse(decision.PolicyRefused ? SourceRefusal.Denied : SourceRefusal.Unreachable, decision.Refusal!);
    }

    /// <summary>srt in listener mode, tcp with listen, and udp (ffmpeg only receives on it) take a stream sent to the daemon.</summary>
    private static bool ListensOnly(string scheme, Uri uri)
    {
        var options = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        return scheme switch
        {
            "udp" => true,
            "srt" => options.Any(o => o.Equals("mode=listener", StringComparison.OrdinalIgnoreCase)),
            "tcp" => options.Any(o => o == "listen" || o.StartsWith("listen=", StringComparison.Ordinal) && o != "listen=0"),
            _ => false,
        };
    }

    private AllowedSource CheckFile(string path)
    {
        if (_roots.Length == 0)
        {
            throw Refuse(SourceRefusal.Denied, "file sources are not allowed: this server has no allowed roots (start it with --allow-root DIR).");
        }

        if (!Path.IsPathFullyQualified(path))
        {
            throw Refuse(SourceRefusal.Invalid, "a file source must be an absolute path.");
        }

        // Lexically under a root: only then may the reply say more than "outside" (not found, a link loop).
        var lexicallyInside = Inside(Path.GetFullPath(path), _roots);
        var resolved = LinuxFiles.RealPath(path, out var error);
        if (resolved is null)
        {
            throw lexicallyInside && error == LinuxFiles.TooManyLinks ? Refuse(SourceRefusal.Invalid, "the path runs into a loop of symbolic links.")
                : lexicallyInside && error is LinuxFiles.NoSuchFile or LinuxFiles.NotADirectory ? Refuse(SourceRefusal.NotFound, "no such file under the allowed roots.")
                : lexicallyInside && error == LinuxFiles.NameTooLong ? Refuse(SourceRefusal.Invalid, "the path is too long.")
                : Outside();
        }

        var roots = _roots.Select(r => LinuxFiles.RealPath(r, out _)).OfType<string>().ToArray();
        return Inside(resolved, roots) ? AllowedSource.File(resolved) : throw Outside();
    }

    private static bool Inside(string path, IEnumerable<string> roots) =>
        roots.Any(root => path.StartsWith(root.EndsWith('/') ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static SourceRefusedException Outside() => Refuse(SourceRefusal.Denied, "the path is outside the allowed roots.");

    private static SourceRefusedException Refuse(SourceRefusal reason, string message) => new(reason, message);
}
