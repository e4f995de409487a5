namespace V2AStream.Core.Mapping;

/// <summary>A sound condition and, for the prototype mapper, the labels it was made of (highest weight first).</summary>
public sealed record MappedCondition(float[] Condition, IReadOnlyList<LabelScore> Labels);
