namespace V2AStream.Core.Models;

/// <summary>A part of a model set: the kind that parsed it and what it parsed.</summary>
public sealed record ModelPart(IModelPartKind Kind, ModelPartSpec Spec)
{
    public ModelPartSlot Slot => Kind.Slot;
}
