namespace V2AStream.Client;

/// <summary>
/// The one way every client names a daemon: <c>HOST:PORT</c> (plain HTTP/2), <c>http://HOST:PORT</c> (the same) or
/// <c>https://HOST:PORT</c> (TLS). The CLI and both sample clients take all three.
/// </summary>
internal static class ServerAddress
{
    public const string Default = "127.0.0.1:50051";

    /// <summary>What an address looks like, for messages and help.</summary>
    public const string Forms = "HOST:PORT or http(s)://HOST:PORT";

    /// <summary>The address as an http:// or https:// URI with its port; false when <paramref name="text"/> is none of the three forms.</summary>
    public static bool TryParse(string? text, out Uri address)
    {
        address = new Uri("http://" + Default);
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var hasScheme = text.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? text : "http://" + text, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https")
            || parsed.Host.Length == 0
            || parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0
            || (!hasScheme && parsed.IsDefaultPort && !text.EndsWith(":80", StringComparison.Ordinal)))
        {
            // Without a scheme the port must be written: "localhost" alone is more likely a mistake than port 80.
            return false;
        }

        address = new Uri($"{parsed.Scheme}://{parsed.Host}:{parsed.Port}");
        return true;
    }

    /// <summary>How messages show an address: HOST:PORT for plain HTTP/2, https://HOST:PORT for TLS.</summary>
    public static string Display(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Scheme == Uri.UriSchemeHttps ? $"https://{address.Host}:{address.Port}" : $"{address.Host}:{address.Port}";
    }
}
