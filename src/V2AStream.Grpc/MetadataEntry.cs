using System.Text;

namespace V2AStream.Grpc;

/// <summary>
/// One metadata key and value. Keys are lower-case ASCII; a key ending in "-bin" carries bytes
/// (base64 on the wire), any other key an ASCII string.
/// </summary>
public sealed class MetadataEntry
{
    private readonly string? _value;
    private readonly byte[]? _valueBytes;

    public MetadataEntry(string key, string value)
    {
        Key = NormalizeKey(key);
        ArgumentNullException.ThrowIfNull(value);
        if (IsBinaryKey(Key))
        {
            throw new ArgumentException($"Metadata key '{Key}' ends in '-bin': give its value as bytes.", nameof(value));
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"Metadata value of '{Key}' has character U+{(int)c:X4}: string values are printable ASCII; use a '-bin' key for anything else.", nameof(value));
            }
        }

        _value = value;
    }

    public MetadataEntry(string key, byte[] valueBytes)
    {
        Key = NormalizeKey(key);
        ArgumentNullException.ThrowIfNull(valueBytes);
        if (!IsBinaryKey(Key))
        {
            throw new ArgumentException($"Metadata key '{Key}' carries bytes: its name must end in '-bin'.", nameof(valueBytes));
        }

        _valueBytes = valueBytes;
    }

    public string Key { get; }

    public bool IsBinary => _valueBytes is not null;

    /// <summary>The string value; for a "-bin" key, the bytes decoded as UTF-8.</summary>
    public string Value => _value ?? Encoding.UTF8.GetString(_valueBytes!);

    /// <summary>The byte value; for a string key, its ASCII bytes.</summary>
    public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

    private MetadataEntry(string key, string? value, byte[]? valueBytes)
    {
        Key = key;
        _value = value;
        _valueBytes = valueBytes;
    }

    internal static bool IsBinaryKey(string key) => key.EndsWith("-bin", StringComparison.Ordinal);

    /// <summary>An entry as received: the value is kept as the peer sent it; null for a key gRPC does not allow.</summary>
    internal static MetadataEntry? FromWire(string key, string? value, byte[]? valueBytes) =>
        IsValidKey(key) ? new MetadataEntry(key.ToLowerInvariant(), value, valueBytes) : null;

    private static bool IsValidKey(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"Metadata key '{key}' is not allowed: use only letters, digits, '-', '_' and '.'.", nameof(key));
        }

        return key.ToLowerInvariant();
    }
}
