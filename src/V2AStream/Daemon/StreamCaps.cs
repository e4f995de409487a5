namespace V2AStream.Daemon;

/// <summary>
/// The server's caps on what a client's StreamConfig may ask for (DESIGN.md section 8: nothing a client chooses costs
/// more than the operator allowed). The detector's work per frame grows with the window in frames (window seconds x
/// fps) and its decisions wait for the lookahead; the sample rate multiplies every stage's work; a block multiple
/// lengthens every generated block.
/// </summary>
internal sealed record StreamCaps
{
    /// <summary>Highest scenes.sample_fps (the engine's own range is 1 to 30).</summary>
    public double MaxSampleFps { get; init; } = 12;

    /// <summary>Longest scenes.window_seconds.</summary>
    public double MaxWindowSeconds { get; init; } = 30;

    /// <summary>Most scenes.lookahead_frames.</summary>
    public int MaxLookaheadFrames { get; init; } = 16;

    /// <summary>Highest generation.block_multiple (blocks of 2.5 s x k).</summary>
    public int MaxBlockMultiple { get; init; } = 4;
}
