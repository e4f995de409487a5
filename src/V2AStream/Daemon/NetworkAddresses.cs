using System.Net;
using System.Net.Sockets;

namespace V2AStream.Daemon;

/// <summary>
/// Which addresses a URL source may reach without being listed in --allow-host: public unicast only. Loopback,
/// unspecified, link-local (cloud metadata at 169.254.169.254), private (RFC 1918, fc00::/7), shared (100.64/10),
/// multicast, broadcast and reserved ranges are not, nor IPv4 addresses wrapped in IPv6 (::ffff:0:0/96, 64:ff9b::/96)
/// that are not. Pure; thread-safe.
/// </summary>
internal static class NetworkAddresses
{
    private static readonly (IPAddress Network, int PrefixLength, string Kind)[] NotPublic =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "an unspecified"),
        (IPAddress.Parse("10.0.0.0"), 8, "a private"),
        (IPAddress.Parse("100.64.0.0"), 10, "a shared (carrier NAT)"),
        (IPAddress.Parse("127.0.0.0"), 8, "a loopback"),
        (IPAddress.Parse("169.254.0.0"), 16, "a link-local"),
        (IPAddress.Parse("172.16.0.0"), 12, "a private"),
        (IPAddress.Parse("192.0.0.0"), 24, "a reserved"),
        (IPAddress.Parse("192.168.0.0"), 16, "a private"),
        (IPAddress.Parse("198.18.0.0"), 15, "a reserved"),
        (IPAddress.Parse("224.0.0.0"), 4, "a multicast"),
        (IPAddress.Parse("240.0.0.0"), 4, "a reserved"),
        (IPAddress.Parse("::"), 128, "an unspecified"),
        (IPAddress.Parse("::1"), 128, "a loopback"),
        (IPAddress.Parse("fc00::"), 7, "a private"),
        (IPAddress.Parse("fe80::"), 10, "a link-local"),
        (IPAddress.Parse("ff00::"), 8, "a multicast"),
    ];

    /// <summary>Null when <paramref name="address"/> is public; otherwise what kind it is ("a loopback", "a private"...).</summary>
    public static string? NonPublicKind(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return NonPublicKind(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Contains(IPAddress.Parse("64:ff9b::"), 96, address))
        {
            return NonPublicKind(new IPAddress(address.GetAddressBytes()[12..]));
        }

        foreach (var (network, prefix, kind) in NotPublic)
        {
            if (Contains(network, prefix, address))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="address"/> is inside <paramref name="network"/>/<paramref name="prefixLength"/> (same family only).</summary>
    public static bool Contains(IPAddress network, int prefixLength, IPAddress address)
    {
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        var full = prefixLength / 8;
        if (!a.AsSpan(0, full).SequenceEqual(b.AsSpan(0, full)))
        {
            return false;
        }

        var rest = prefixLength % 8;
        return rest == 0 || (a[full] >> (8 - rest)) == (b[full] >> (8 - rest));
    }
}
