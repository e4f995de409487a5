using System.Text.Json;

namespace V2AStream.Cli;

/// <summary>
/// How every command writes --json: snake_case names, characters such as '+' left readable. A result that is one
/// object is indented; a stream of events (run, stream, demo) is JSON Lines, one compact object per line.
/// </summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For JSON Lines: the same, on one line.</summary>
    public static JsonSerializerOptions Lines { get; } = new(Options) { WriteIndented = false };

    /// <summary>One JSON Lines event: <c>{"KIND": VALUE}</c>.</summary>
    public static string Event<T>(string kind, T value) => JsonSerializer.Serialize(new Dictionary<string, T> { [kind] = value }, Lines);
}
