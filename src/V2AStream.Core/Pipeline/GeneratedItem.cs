namespace V2AStream.Core.Pipeline;

/// <summary>
/// A plan item with its generated audio (empty for items that are not blocks); <paramref name="ContinuesPrevious"/> when the
/// block went on from the previous block of its scene.
/// </summary>
internal sealed record GeneratedItem(PlanItem Item, float[] Samples, bool ContinuesPrevious = false);
