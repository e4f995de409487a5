using System.Text.Json;
using System.Text.Json.Serialization;
using V2AStream.Core.Text;

namespace V2AStream.Core.Models;

/// <summary>
/// Reads and checks the shape of a folder's model-set.json (not its files: see <see cref="ModelSetChecker"/>). A
/// top-level object with a "kind" is a part: its key names the slot, and the slot's kind of that name (from a
/// <see cref="ModelPartRegistry"/>) parses it. A part in a slot no kind of this program declares is not read (a newer
/// export may write parts an older program does not use) but listed in <see cref="ModelSetManifest.IgnoredParts"/>;
/// other top-level fields besides "name" and "description" are ignored. Every problem, whatever the bytes, is a
/// <see cref="ModelSetException"/> with a one-line message: a null or missing part, a value of the wrong type, an unknown
/// kind, or a file name that could leave the set's folder (each kind checks the names it reads, see
/// <see cref="ModelPartKind{TSpec, TPart}.FileFields"/>).
/// </summary>
public static class ModelSetManifestReader
{
    /// <summary>A manifest is a few hundred bytes; anything near this is not one.</summary>
    private const long MaxManifestBytes = 1 << 20;

    /// <summary>How parts are read: snake_case fields, comments and trailing commas allowed, unknown fields ignored.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,

        // "mean": [null] is refused here, not found later as a NullReferenceException.
        RespectNullableAnnotations = true,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads <c>DIR/model-set.json</c>; throws <see cref="ModelSetException"/> saying what is wrong.</summary>
    public static ModelSetManifest Read(string directory, ModelPartRegistry? registry = null)
    {
        registry ??= ModelPartRegistry.Default;
        var path = Path.Combine(directory, ModelSetManifest.FileName);
        if (!System.IO.File.Exists(path))
        {
            throw new ModelSetException(ModelSetErrorReason.NotFound, $"'{directory}' is not a model set: it has no {ModelSetManifest.FileName}.", path);
        }

        string json;
        try
        {
            if (new FileInfo(path).Length > MaxManifestBytes)
            {
                throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is over {MaxManifestBytes} bytes: it is not a manifest.", path);
            }

            json = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} cannot be read: {ex.Message}", path, innerException: ex);
        }

        return Parse(json, path, registry) with { Directory = Path.GetFullPath(directory) };
    }

    /// <summary>The manifest in <paramref name="json"/> (read from <paramref name="path"/>, for messages).</summary>
    internal static ModelSetManifest Parse(string json, string path, ModelPartRegistry? registry = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Parse(document.RootElement, path, registry ?? ModelPartRegistry.Default);
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is not a valid manifest: {SafeText.Escape(ex.Message, 300)}", path, innerException: ex);
        }
    }

    private static ModelSetManifest Parse(JsonElement root, string path, ModelPartRegistry registry)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "it must be a JSON object");
        }

        string? name = null;
        string? description = null;
        var parts = new List<ModelPart>();
        var ignored = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw Invalid(path, "\"name\" must be a string");
                    break;
                case "description":
                    description = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw Invalid(path, "\"description\" must be a string");
                    break;
                default:
                    if (IsPart(property) && registry.FindSlot(property.Name) is null)
                    {
                        ignored.Add(property.Name);
                    }
                    else if (ReadPart(property, path, registry) is { } part)
                    {
                        if (parts.Any(p => p.Slot == part.Slot))
                        {
                            throw Invalid(path, $"it names the {part.Slot} twice");
                        }

                        parts.Add(part);
                    }

                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(path, "it needs a \"name\"");
        }

        var missing = registry.Slots.FirstOrDefault(slot => slot.Required && parts.All(p => p.Slot != slot));
        if (missing is not null)
        {
            throw Invalid(path, $"it needs an \"{missing}\" part (kinds: {string.Join(", ", registry.NamesOf(missing))})");
        }

        return new ModelSetManifest { Name = name, Description = description, Parts = parts, IgnoredParts = ignored };
    }

    private static bool IsPart(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("kind", out _);

    /// <summary>The part in <paramref name="property"/> (of a known slot), or null when it is not one (not an object with a "kind").</summary>
    private static ModelPart? ReadPart(JsonProperty property, string path, ModelPartRegistry registry)
    {
        if (!IsPart(property))
        {
            return null;
        }

        var slot = registry.FindSlot(property.Name)!;
        var kindValue = property.Value.GetProperty("kind");
        if (kindValue.ValueKind != JsonValueKind.String || kindValue.GetString() is not { Length: > 0 } kindName)
        {
            throw Invalid(path, $"the {slot}'s \"kind\" must be a non-empty string");
        }

        var kind = registry.Get(slot, kindName, path);
        return new ModelPart(kind, kind.Parse(property.Value, path));
    }

    private static ModelSetException Invalid(string path, string what) =>
        new(ModelSetErrorReason.InvalidManifest, $"{path} is not a valid manifest: {what}.", path);
}
