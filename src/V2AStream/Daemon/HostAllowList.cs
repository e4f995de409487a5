using System.Globalization;
using System.Net;

namespace V2AStream.Daemon;

/// <summary>
/// The operator's --allow-host entries: host names (matched whole, case-insensitively; any address they resolve to is
/// then allowed), IP addresses and CIDR ranges (10.0.0.0/8, fd00::/8), which allow those addresses even when they are
/// loopback or private. Immutable; thread-safe.
/// </summary>
internal sealed class HostAllowList
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(IPAddress Network, int PrefixLength)> _ranges = [];

    public HostAllowList(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (!TryParseRange(entry, out var range))
            {
                _names.Add(entry.TrimEnd('.'));
                continue;
            }

            _ranges.Add(range);
        }
    }

    public bool IsEmpty => _names.Count == 0 && _ranges.Count == 0;

    public bool AllowsName(string host) => _names.Contains(host.TrimEnd('.'));

    public bool AllowsAddress(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _ranges.Any(r => NetworkAddresses.Contains(r.Network, r.PrefixLength, plain));
    }

    /// <summary>Whether <paramref name="entry"/> is a host name, an IP address or a CIDR range (for validating settings).</summary>
    public static bool IsValidEntry(string entry) =>
        TryParseRange(entry, out _) || Uri.CheckHostName(entry.TrimEnd('.')) == UriHostNameType.Dns;

    private static bool TryParseRange(string entry, out (IPAddress Network, int PrefixLength) range)
    {
        range = default;
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressText.Trim('[', ']'), out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bits = address.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        range = (address, prefix);
        return true;
    }
}
