namespace V2AStream.Core.Models;

/// <summary>
/// A model set: which embedder, mapper and generator a stream uses, read from a folder's
/// <c>model-set.json</c> (DESIGN.md section 5), or the built-in set that needs no files.
/// File names inside the specs are as written in the manifest; <see cref="Directory"/> resolves them.
/// </summary>
public sealed record ModelSetManifest
{
    /// <summary>The manifest file name inside a model-set folder.</summary>
    public const string FileName = "model-set.json";

    /// <summary>The name of the built-in set.</summary>
    public const string BuiltinName = "builtin";

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required EmbedderSpec Embedder { get; init; }

    public required MapperSpec Mapper { get; init; }

    public required GeneratorSpec Generator { get; init; }

    /// <summary>The folder the manifest was read from; null for the built-in set.</summary>
    public string? Directory { get; init; }

    /// <summary>The set that ships inside the program: pixel embedder, identity mapper, procedural generator.</summary>
    public static ModelSetManifest Builtin { get; } = new()
    {
        Name = BuiltinName,
        Description = "Built in, no files: colour/layout/texture embedder, identity mapper, procedural sound bed.",
        Embedder = new EmbedderSpec { Kind = EmbedderSpec.BuiltinPixelKind, Dim = 512 },
        Mapper = new MapperSpec { Kind = MapperSpec.IdentityKind },
        Generator = new GeneratorSpec { Kind = GeneratorSpec.BuiltinProceduralKind },
    };

    /// <summary>Whether any part runs on ONNX Runtime.</summary>
    public bool NeedsOnnxRuntime =>
        Embedder.Kind == EmbedderSpec.OnnxImageKind || Generator.Kind == GeneratorSpec.AudioLdmKind;
}
