namespace V2AStream.Grpc.Protocol;

/// <summary>Converts metadata to and from HTTP/2 header values ("-bin" values are base64).</summary>
internal static class MetadataHeaders
{
    /// <summary>
    /// Adds the custom metadata among <paramref name="headers"/> to <paramref name="metadata"/>. What a
    /// peer may not send (a "-bin" value that is not base64, a key gRPC does not allow) is skipped, never thrown.
    /// </summary>
    public static void AddTo(Metadata metadata, IEnumerable<(string Name, string Value)> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }

            var key = name.ToLowerInvariant();
            MetadataEntry? entry;
            if (!MetadataEntry.IsBinaryKey(key))
            {
                entry = MetadataEntry.FromWire(key, value, null);
            }
            else
            {
                entry = TryDecodeBase64(value, out var bytes) ? MetadataEntry.FromWire(key, null, bytes) : null;
            }

            if (entry is not null)
            {
                metadata.Add(entry);
            }
        }
    }

    /// <summary>The header value of <paramref name="entry"/>: its string, or unpadded base64 for bytes (the spec's preferred form).</summary>
    public static string ToHeaderValue(MetadataEntry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    private static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var trimmed = value.Trim();
        var padding = (4 - (trimmed.Length % 4)) % 4;
        if (padding == 3)
        {
            bytes = [];
            return false;
        }

        var padded = trimmed + new string('=', padding);
        var buffer = new byte[padded.Length / 4 * 3];
        if (Convert.TryFromBase64String(padded, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
