using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>"prototype": the zero-shot <see cref="PrototypeMapper"/>, its label tables in the safetensors "file", an optional "temperature".</summary>
internal sealed class PrototypeMapperKind : ModelPartKind<MapperSpec, IConditionMapper>
{
    public const string KindName = "prototype";

    public override ModelPartSlot Slot => ModelPartSlot.Mapper;

    public override string Name => KindName;

    public override IConditionMapper Create(MapperSpec spec, ModelPartContext context) =>
        PrototypeMapper.Load(context.ResolveFile(this, spec.File, "file"), spec.Temperature);

    public override ModelPartDimensions Dimensions(IConditionMapper part) => new(part.InputDimension, part.OutputDimension);

    public override IEnumerable<(string Field, string? FileName)> FileFields(MapperSpec spec) => [("file", spec.File)];

    protected override void Validate(MapperSpec spec, string manifestPath)
    {
        if (spec.Temperature is { } temperature && !(temperature > 0 && float.IsFinite(temperature)))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the prototype mapper's \"temperature\" must be a positive number, not {temperature}.", manifestPath);
        }
    }
}
