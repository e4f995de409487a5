using V2AStream.Core.Models;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Generation;

/// <summary>"builtin-procedural": the <see cref="ProceduralGenerator"/> sound bed, no file, any condition length.</summary>
internal sealed class ProceduralGeneratorKind : ModelPartKind<GeneratorSpec, IAudioGenerator>
{
    public const string KindName = "builtin-procedural";

    public override ModelPartSlot Slot => ModelPartSlot.Generator;

    public override string Name => KindName;

    public override IAudioGenerator Create(GeneratorSpec spec, ModelPartContext context) => new ProceduralGenerator();

    public override ModelPartDimensions Dimensions(IAudioGenerator part) => new(part.ConditionDimension, null);

    protected override void Validate(GeneratorSpec spec, string manifestPath)
    {
        if (spec.SampleRate != BlockTiming.SampleRate)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the builtin-procedural generator makes {BlockTiming.SampleRate} Hz audio, not {spec.SampleRate} (the daemon resamples its output).", manifestPath);
        }
    }

    protected override string Describe(GeneratorSpec spec, IAudioGenerator part) => "built in, any condition length";
}
