using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace V2AStream.Hosting;

/// <summary>
/// A daemon port another process holds: Kestrel's bind failure turned into one line naming the setting to change
/// (the gRPC port's --listen, or the health port's --health-listen).
/// </summary>
internal static partial class AddressInUse
{
    /// <summary>Whether <paramref name="exception"/> is Kestrel's "address already in use" for one of its endpoints.</summary>
    public static bool Is(Exception exception) => exception is IOException { InnerException: AddressInUseException };

    /// <summary>The settings error for <paramref name="exception"/>, naming whichever of the two endpoints could not be bound.</summary>
    public static DaemonConfigurationException Describe(Exception exception, IPEndPoint grpc, IPEndPoint? health)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(grpc);
        var port = BindAddress().Match(exception.Message) is { Success: true } match && Uri.TryCreate(match.Groups["address"].Value, UriKind.Absolute, out var address)
            ? address.Port
            : grpc.Port;
        return health is not null && port == health.Port && port != grpc.Port
            ? new DaemonConfigurationException($"the health port {health} is already in use (another 'v2a serve'?): give it a free one with --health-listen HOST:PORT (setting Daemon:MetricsListen), or turn it off with --health-listen ''.")
            : new DaemonConfigurationException($"the gRPC port {grpc} is already in use (another 'v2a serve'?): give the daemon a free one with --listen HOST:PORT (setting Daemon:Listen).");
    }

    [GeneratedRegex(@"address (?<address>\S+): address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();
}
