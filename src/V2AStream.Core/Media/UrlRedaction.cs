using System.Text;
using System.Text.RegularExpressions;

namespace V2AStream.Core.Media;

/// <summary>
/// Takes the secrets out of the URLs in a text before it reaches a log line or a message (DESIGN.md section 8): user
/// info (<c>rtmp://user:password@host</c>), every query value (<c>srt://host:9000?passphrase=...&amp;streamid=...</c>),
/// and the stream key an RTMP URL carries as its last path segment (<c>rtmp://host/live/KEY</c>). Names, hosts and ports
/// stay, so the line still says where the source is. Pure; thread-safe.
/// </summary>
public static partial class UrlRedaction
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with every URL in it redacted; text without "://" comes back as it is.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("://", StringComparison.Ordinal) ? UrlPattern().Replace(text, match => RedactUrl(match.Groups[1].Value, match.Groups[2].Value)) : text;
    }

    private static string RedactUrl(string scheme, string rest)
    {
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var remainder = end < 0 ? string.Empty : rest[end..];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = Mask + authority[at..];
        }

        var fragment = remainder.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            remainder = remainder[..fragment];
        }

        var queryStart = remainder.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? remainder : remainder[..queryStart];
        var query = queryStart < 0 ? null : remainder[(queryStart + 1)..];
        if (scheme.StartsWith("rtmp", StringComparison.OrdinalIgnoreCase))
        {
            // rtmp://host/app/streamkey: the key is the publishing secret.
            var segments = path.Split('/');
            if (segments.Count(s => s.Length > 0) >= 2)
            {
                var last = Array.FindLastIndex(segments, s => s.Length > 0);
                segments[last] = Mask;
                path = string.Join('/', segments);
            }
        }

        var result = new StringBuilder(scheme.Length + rest.Length + 8).Append(scheme).Append("://").Append(authority).Append(path);
        if (query is not null)
        {
            result.Append('?').AppendJoin('&', query.Split('&').Select(p => p.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? p[..(eq + 1)] + Mask : p));
        }

        return result.ToString();
    }

    [GeneratedRegex(@"\b([A-Za-z][A-Za-z0-9+.\-]*)://([^\s'""<>`]+)")]
    private static partial Regex UrlPattern();
}
