using System.Net;
using System.Net.Sockets;

namespace V2AStream.Daemon;

/// <summary>
/// The hosts one URL source may reach (DESIGN.md section 8): the host its own URL names, when every address that resolves
/// to is public, and what --allow-host lists (any address). A playlist or a redirect cannot widen that. Each check
/// resolves the name itself and returns the address to connect to, so the address checked is the address used.
/// Refusals say only that the host is not allowed, never whether it answers. Thread-safe.
/// </summary>
internal sealed class SourceHosts(string urlHost, HostAllowList allowList)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The URL's own host (no brackets for IPv6).</summary>
    public string UrlHost { get; } = Unbracket(urlHost);

    /// <summary>The address to connect to for <paramref name="host"/>, or the one-line reason it is refused.</summary>
    public async Task<HostDecision> CheckAsync(string host, CancellationToken cancellationToken)
    {
        host = Unbracket(host);
        if (IPAddress.TryParse(host, out var literal))
        {
            if (allowList.AllowsAddress(literal))
            {
                return HostDecision.Allow(literal);
            }

            if (!SameHost(host))
            {
                return HostDecision.Refuse(NotListed(host));
            }

            return NetworkAddresses.NonPublicKind(literal) is { } kind ? HostDecision.Refuse(NotPublic(host, kind)) : HostDecision.Allow(literal);
        }

        var listed = allowList.AllowsName(host);
        if (!listed && !SameHost(host))
        {
            return HostDecision.Refuse(NotListed(host));
        }

        IPAddress[] addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return HostDecision.Unresolved($"the host '{host}' cannot be resolved.");
        }

        if (addresses.Length == 0)
        {
            return HostDecision.Unresolved($"the host '{host}' has no address.");
        }

        if (listed)
        {
            return HostDecision.Allow(addresses[0]);
        }

        // Every address must pass: a name that also resolves to a private address could be answered by that one.
        foreach (var address in addresses)
        {
            if (!allowList.AllowsAddress(address) && NetworkAddresses.NonPublicKind(address) is { } kind)
            {
                return HostDecision.Refuse(NotPublic(host, kind));
            }
        }

        return HostDecision.Allow(addresses[0]);
    }

    private bool SameHost(string host) => string.Equals(host.TrimEnd('.'), UrlHost.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static string NotListed(string host) =>
        $"the host '{host}' is not the source URL's own host and is not allowed on this server (--allow-host).";

    private static string NotPublic(string host, string kind) =>
        $"the host '{host}' is {kind} address, which URL sources may reach only when the server allows it (--allow-host).";

    private static string Unbracket(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
}
