using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>"identity": the <see cref="IdentityMapper"/>, no file; the condition is the embedding.</summary>
internal sealed class IdentityMapperKind : ModelPartKind<MapperSpec, IConditionMapper>
{
    public const string KindName = "identity";

    public override ModelPartSlot Slot => ModelPartSlot.Mapper;

    public override string Name => KindName;

    public override IConditionMapper Create(MapperSpec spec, ModelPartContext context) => new IdentityMapper();

    public override ModelPartDimensions Dimensions(IConditionMapper part) => new(part.InputDimension, part.OutputDimension);
}
