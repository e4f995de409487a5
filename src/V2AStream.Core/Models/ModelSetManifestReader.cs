using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2AStream.Core.Models;

/// <summary>
/// Reads and checks the shape of a folder's model-set.json (not its files: see <see cref="ModelSetChecker"/>). A
/// top-level object with a "kind" is a part: its key names the slot, and the slot's kind of that name (from a
/// <see cref="ModelPartRegistry"/>) parses it. A part in a slot no kind of this program declares is not read (a newer
/// export may write parts an older program does not use) but listed in <see cref="ModelSetManifest.IgnoredParts"/>;
/// other top-level fields besides "name" and "description" are ignored.
/// </summary>
public static class ModelSetManifestReader
{
    /// <summary>How parts are read: snake_case fields, comments and trailing commas allowed, unknown fields ignored.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
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

        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path), DocumentOptions);
            return Parse(document.RootElement, path, registry) with { Directory = Path.GetFullPath(directory) };
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is not a valid manifest: {ex.Message}", path, innerException: ex);
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
