using V2AStream.Core.Stitching;

namespace V2AStream.Core.Pipeline;

/// <summary>What the planning stage hands on, in media order: blocks to generate, progress of the decided horizon, and the end.</summary>
internal abstract record PlanItem
{
    /// <summary>Generate <paramref name="Block"/> from <paramref name="Condition"/> with <paramref name="Seed"/>.</summary>
    public sealed record Generate(PlannedBlock Block, float[] Condition, long Seed) : PlanItem;

    /// <summary>No cut or block boundary lies before <paramref name="Sample"/>: audio up to there may be released.</summary>
    public sealed record Advance(long Sample) : PlanItem;

    /// <summary>The media ends at <paramref name="TotalSamples"/>.</summary>
    public sealed record End(long TotalSamples) : PlanItem;
}
