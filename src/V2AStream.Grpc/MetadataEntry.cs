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

    internal static bool IsBinaryKey(string key) => key.EndsWith("-bin", StringComparison.Ordinal);

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var c in key)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (!valid)
            {
                throw new ArgumentException($"Metadata key '{key}' has character '{c}': use only letters, digits, '-', '_' and '.'.", nameof(key));
            }
        }

        return key.ToLowerInvariant();
    }
}
