namespace V2AStream.Core.Mapping;

/// <summary>A label of the prototype mapper and its softmax weight in [0, 1].</summary>
public sealed record LabelScore(string Label, float Weight);
