namespace V2AStream.Core.Generation;

/// <summary>Which of the scheduler's queues a stream's blocks wait in: LIVE blocks go before QUALITY ones.</summary>
public enum GenerationPriority
{
    /// <summary>A listener is waiting for the block now (LIVE mode).</summary>
    Live,

    /// <summary>The block's latency is at least a block anyway (QUALITY mode, files).</summary>
    Quality,
}
