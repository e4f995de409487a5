using V2AStream.Core.Models;

namespace V2AStream.Core.Embedding;

/// <summary>
/// "onnx-image": an image network (CLIP ViT-B/32's visual tower, MobileNetV2) as the <see cref="OnnxImageEmbedder"/>:
/// "file", "input", "output", "size", "resize", "mean", "std", "dim". Checked by building it: the model's input and
/// output against the manifest.
/// </summary>
internal sealed class OnnxImageEmbedderKind : ModelPartKind<EmbedderSpec, IFrameEmbedder>
{
    public const string KindName = "onnx-image";

    public override ModelPartSlot Slot => ModelPartSlot.Embedder;

    public override string Name => KindName;

    public override bool NeedsOnnxRuntime => true;

    public override IFrameEmbedder Create(EmbedderSpec spec, ModelPartContext context)
    {
        var path = context.ResolveFile(this, spec.File, "file");
        return OnnxImageEmbedder.Create(context.OpenModel(this, path), spec, path);
    }

    public override ModelPartDimensions Dimensions(IFrameEmbedder part) => new(null, part.Dim);

    public override IEnumerable<(string Field, string? FileName)> FileFields(EmbedderSpec spec) => [("file", spec.File)];

    protected override void Validate(EmbedderSpec spec, string manifestPath) => OnnxImageEmbedder.CheckSpec(spec, manifestPath);

    protected override string Describe(EmbedderSpec spec, IFrameEmbedder part) =>
        $"{spec.Input} [?,3,{spec.Size},{spec.Size}] -> {spec.Output} {spec.Dim}-d";
}
