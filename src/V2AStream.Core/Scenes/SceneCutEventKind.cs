namespace V2AStream.Core.Scenes;

/// <summary>What an incremental detector says about a cut.</summary>
public enum SceneCutEventKind
{
    /// <summary>The newest frame pair scores above the threshold; the cut is not decided until the lookahead has passed.</summary>
    Provisional,

    /// <summary>The cut is decided and never revoked.</summary>
    Final,

    /// <summary>A provisional cut was rejected once the lookahead frames arrived (a stronger neighbour, or below threshold).</summary>
    Withdrawn,
}
