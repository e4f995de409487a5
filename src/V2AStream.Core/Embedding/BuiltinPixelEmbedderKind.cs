using V2AStream.Core.Models;

namespace V2AStream.Core.Embedding;

/// <summary>"builtin-pixel": the <see cref="BuiltinPixelEmbedder"/>, no file; its "dim" must be 512.</summary>
internal sealed class BuiltinPixelEmbedderKind : ModelPartKind<EmbedderSpec, IFrameEmbedder>
{
    public const string KindName = "builtin-pixel";

    public override ModelPartSlot Slot => ModelPartSlot.Embedder;

    public override string Name => KindName;

    public override IFrameEmbedder Create(EmbedderSpec spec, ModelPartContext context) => new BuiltinPixelEmbedder();

    public override ModelPartDimensions Dimensions(IFrameEmbedder part) => new(null, part.Dim);

    protected override void Validate(EmbedderSpec spec, string manifestPath)
    {
        // A manifest may leave "dim" out; one that states it must state what the descriptor makes.
        if (spec.Dim is not (0 or BuiltinPixelEmbedder.Dimension))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the builtin-pixel embedder makes {BuiltinPixelEmbedder.Dimension}-d vectors, not {spec.Dim}.", manifestPath);
        }
    }

    protected override string Describe(EmbedderSpec spec, IFrameEmbedder part) => $"built in, {part.Dim}-d";
}
