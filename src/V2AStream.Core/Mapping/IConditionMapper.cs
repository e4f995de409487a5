namespace V2AStream.Core.Mapping;

/// <summary>
/// Turns a scene's mean frame embedding into a sound condition (DESIGN.md section 5).
/// Implementations are immutable after construction and safe to call from several threads.
/// </summary>
public interface IConditionMapper
{
    /// <summary>The manifest kind: identity, mlp or prototype.</summary>
    string Kind { get; }

    /// <summary>The embedding length it accepts; null when any length is accepted.</summary>
    int? InputDimension { get; }

    /// <summary>The condition length it produces; null when it equals the input's.</summary>
    int? OutputDimension { get; }

    /// <summary>Maps one embedding; throws <see cref="ArgumentException"/> when its length is wrong.</summary>
    MappedCondition Map(ReadOnlySpan<float> embedding);
}
