using System.Text.Json;
using System.Text.Json.Serialization;

namespace V2AStream.Core.Models;

/// <summary>Reads and checks the shape of a folder's model-set.json (not its files: see the checker).</summary>
public static class ModelSetManifestReader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private static readonly string[] EmbedderKinds = [EmbedderSpec.BuiltinPixelKind, EmbedderSpec.OnnxImageKind];
    private static readonly string[] MapperKinds = [MapperSpec.IdentityKind, MapperSpec.MlpKind, MapperSpec.PrototypeKind];
    private static readonly string[] GeneratorKinds = [GeneratorSpec.BuiltinProceduralKind, GeneratorSpec.AudioLdmKind];

    /// <summary>Reads <c>DIR/model-set.json</c>; throws <see cref="ModelSetException"/> saying what is wrong.</summary>
    public static ModelSetManifest Read(string directory)
    {
        var path = Path.Combine(directory, ModelSetManifest.FileName);
        if (!System.IO.File.Exists(path))
        {
            throw new ModelSetException(ModelSetErrorReason.NotFound, $"'{directory}' is not a model set: it has no {ModelSetManifest.FileName}.", path);
        }

        ModelSetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelSetManifest>(System.IO.File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is not a valid manifest: {ex.Message}", path, innerException: ex);
        }

        if (manifest is null)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is empty.", path);
        }

        CheckKind(path, "embedder", manifest.Embedder.Kind, EmbedderKinds);
        CheckKind(path, "mapper", manifest.Mapper.Kind, MapperKinds);
        CheckKind(path, "generator", manifest.Generator.Kind, GeneratorKinds);
        return manifest with { Directory = Path.GetFullPath(directory) };
    }

    private static void CheckKind(string path, string part, string kind, string[] known)
    {
        if (!known.Contains(kind, StringComparer.Ordinal))
        {
            throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"{path}: {part} kind '{kind}' is unknown; use one of {string.Join(", ", known)}.", path);
        }
    }
}
