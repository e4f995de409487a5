using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;

namespace V2AStream.Core.Models;

/// <summary>
/// A model set: the parts a stream uses, read from a folder's <c>model-set.json</c> (DESIGN.md section 5), or the
/// built-in set that needs no files. Each part is a slot (embedder, mapper, generator, and any optional slot a kind
/// declares) filled by a kind with what it parsed. File names inside the specs are as written in the manifest: the
/// catalog finds them. Immutable.
/// </summary>
public sealed record ModelSetManifest
{
    /// <summary>The manifest file name inside a model-set folder.</summary>
    public const string FileName = "model-set.json";

    /// <summary>The name of the built-in set.</summary>
    public const string BuiltinName = "builtin";

    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The parts, in the manifest's order (required slots always present).</summary>
    public required IReadOnlyList<ModelPart> Parts { get; init; }

    /// <summary>Parts the manifest has in slots no kind of this program declares: not read, not loaded.</summary>
    public IReadOnlyList<string> IgnoredParts { get; init; } = [];

    /// <summary>The folder the manifest was read from; null for the built-in set.</summary>
    public string? Directory { get; init; }

    /// <summary>The set that ships inside the program: pixel embedder, identity mapper, procedural generator.</summary>
    public static ModelSetManifest Builtin { get; } = CreateBuiltin(ModelPartRegistry.Default);

    /// <summary>Whether any part runs on ONNX Runtime.</summary>
    public bool NeedsOnnxRuntime => Parts.Any(p => p.Kind.NeedsOnnxRuntime);

    /// <summary>Every file the parts name, as written (the catalog finds them).</summary>
    public IReadOnlyList<string> FileNames() => Parts.SelectMany(p => p.Kind.FileNames(p.Spec)).ToArray();

    /// <summary>The part in <paramref name="slot"/>, or null when the set has none.</summary>
    public ModelPart? Find(ModelPartSlot slot) => Parts.FirstOrDefault(p => p.Slot == slot);

    /// <summary>The kind name in <paramref name="slot"/> (e.g. "onnx-image"), or null.</summary>
    public string? KindOf(ModelPartSlot slot) => Find(slot)?.Kind.Name;

    /// <summary>"builtin-pixel -> identity -> builtin-procedural", the pipeline's parts in order, then any others.</summary>
    public string Describe() => string.Join(" -> ", Parts.Where(p => p.Slot.Required).Select(p => p.Kind.Name))
        + string.Concat(Parts.Where(p => !p.Slot.Required).Select(p => $", {p.Slot}: {p.Kind.Name}"));

    private static ModelSetManifest CreateBuiltin(ModelPartRegistry registry) => new()
    {
        Name = BuiltinName,
        Description = "Built in, no files: colour/layout/texture embedder, identity mapper, procedural sound bed.",
        Parts =
        [
            new ModelPart(registry.Get(ModelPartSlot.Embedder, BuiltinPixelEmbedderKind.KindName), new EmbedderSpec { Kind = BuiltinPixelEmbedderKind.KindName, Dim = BuiltinPixelEmbedder.Dimension }),
            new ModelPart(registry.Get(ModelPartSlot.Mapper, IdentityMapperKind.KindName), new MapperSpec { Kind = IdentityMapperKind.KindName }),
            new ModelPart(registry.Get(ModelPartSlot.Generator, ProceduralGeneratorKind.KindName), new GeneratorSpec { Kind = ProceduralGeneratorKind.KindName }),
        ],
    };
}
