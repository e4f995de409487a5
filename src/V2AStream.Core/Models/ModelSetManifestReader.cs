using System.Text.Json;
using System.Text.Json.Serialization;
using V2AStream.Core.Text;

namespace V2AStream.Core.Models;

/// <summary>
/// Reads and checks the shape of a folder's model-set.json (not its files: see the checker). Every problem, whatever the
/// bytes, is a <see cref="ModelSetException"/> with a one-line message: a null or missing part, a value of the wrong
/// type, an unknown kind, or a file name that could leave the set's folder (absolute, "..", control characters).
/// </summary>
public static class ModelSetManifestReader
{
    /// <summary>A manifest is a few hundred bytes; anything near this is not one.</summary>
    private const long MaxManifestBytes = 1 << 20;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,

        // "embedder": null is refused here, not found later as a NullReferenceException.
        RespectNullableAnnotations = true,
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

        return Parse(json, path) with { Directory = Path.GetFullPath(directory) };
    }

    /// <summary>The manifest in <paramref name="json"/> (read from <paramref name="path"/>, for messages).</summary>
    internal static ModelSetManifest Parse(string json, string path)
    {
        ModelSetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelSetManifest>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is not a valid manifest: {SafeText.Escape(ex.Message, 300)}", path, innerException: ex);
        }

        if (manifest is null)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path} is empty.", path);
        }

        CheckKind(path, "embedder", manifest.Embedder.Kind, EmbedderKinds);
        CheckKind(path, "mapper", manifest.Mapper.Kind, MapperKinds);
        CheckKind(path, "generator", manifest.Generator.Kind, GeneratorKinds);
        CheckFileName(path, "embedder.file", manifest.Embedder.File);
        CheckFileName(path, "mapper.file", manifest.Mapper.File);
        CheckFileName(path, "generator.unet", manifest.Generator.Unet);
        CheckFileName(path, "generator.vae_decoder", manifest.Generator.VaeDecoder);
        CheckFileName(path, "generator.vocoder", manifest.Generator.Vocoder);
        CheckFileName(path, "generator.unconditional", manifest.Generator.Unconditional);
        return manifest;
    }

    private static void CheckKind(string path, string part, string kind, string[] known)
    {
        if (!known.Contains(kind, StringComparer.Ordinal))
        {
            throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"{path}: {part} kind {Quote(kind)} is unknown; use one of {string.Join(", ", known)}.", path);
        }
    }

    /// <summary>A file a manifest names must stay inside the set's folder (or the weight folders searched beside it).</summary>
    private static void CheckFileName(string path, string field, string? fileName)
    {
        if (fileName is null)
        {
            return;
        }

        var problem = fileName.Length == 0 ? "is empty"
            : fileName.Any(char.IsControl) ? "holds control characters"
            : Path.IsPathRooted(fileName) || fileName.StartsWith('~') ? "is an absolute path"
            : fileName.Split('/', '\\').Any(part => part == "..") ? "climbs out of the set's folder with '..'"
            : null;
        if (problem is not null)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{path}: {field} {Quote(fileName)} {problem}; name a file inside the set's folder, e.g. \"unet.onnx\".", path);
        }
    }

    /// <summary>A value for a one-line message: quoted, control characters escaped, at most 80 characters.</summary>
    private static string Quote(string value) => "'" + SafeText.Escape(value, 80) + "'";
}
