using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>Passes the embedding through unchanged (the built-in set, and MobileNetV2 embeddings with the procedural generator).</summary>
internal sealed class IdentityMapper : IConditionMapper
{
    public string Kind => IdentityMapperKind.KindName;

    public int? InputDimension => null;

    public int? OutputDimension => null;

    public MappedCondition Map(ReadOnlySpan<float> embedding)
    {
        if (embedding.IsEmpty)
        {
            throw new ArgumentException("The embedding is empty.", nameof(embedding));
        }

        return new MappedCondition(embedding.ToArray(), []);
    }
}
