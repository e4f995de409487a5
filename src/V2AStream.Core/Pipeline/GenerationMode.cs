namespace V2AStream.Core.Pipeline;

/// <summary>How a block's sound condition is chosen (DESIGN.md section 3).</summary>
public enum GenerationMode
{
    /// <summary>The block starting at b uses its scene's frames seen up to b + lookahead: latency is the lookahead plus one block's generation.</summary>
    Live,

    /// <summary>The block uses its scene's frames inside the block: latency is at least one block.</summary>
    Quality,
}
