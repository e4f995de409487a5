namespace V2AStream.Core.Pipeline;

/// <summary>A plan item with its generated audio (empty for items that are not blocks).</summary>
internal sealed record GeneratedItem(PlanItem Item, float[] Samples);
