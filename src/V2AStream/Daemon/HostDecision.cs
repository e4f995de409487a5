using System.Net;

namespace V2AStream.Daemon;

/// <summary>What <see cref="SourceHosts.CheckAsync"/> decided: the address to use, or why not (refused by policy, or not resolvable).</summary>
internal readonly record struct HostDecision(IPAddress? Address, string? Refusal, bool PolicyRefused)
{
    public static HostDecision Allow(IPAddress address) => new(address, null, false);

    public static HostDecision Refuse(string reason) => new(null, reason, true);

    public static HostDecision Unresolved(string reason) => new(null, reason, false);
}
