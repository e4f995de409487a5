using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>"mlp": the Table I <see cref="MlpMapper"/>, its weights in the safetensors "file".</summary>
internal sealed class MlpMapperKind : ModelPartKind<MapperSpec, IConditionMapper>
{
    public const string KindName = "mlp";

    public override ModelPartSlot Slot => ModelPartSlot.Mapper;

    public override string Name => KindName;

    public override IConditionMapper Create(MapperSpec spec, ModelPartContext context) =>
        MlpMapper.Load(context.ResolveFile(this, spec.File, "file"));

    public override ModelPartDimensions Dimensions(IConditionMapper part) => new(part.InputDimension, part.OutputDimension);

    public override IEnumerable<(string Field, string? FileName)> FileFields(MapperSpec spec) => [("file", spec.File)];
}
