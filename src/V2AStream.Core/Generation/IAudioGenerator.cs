namespace V2AStream.Core.Generation;

/// <summary>
/// Makes the audio of blocks: for a condition vector, a block multiple k and a seed, 2.56·k s of mono
/// float PCM at <see cref="SampleRate"/> (40960·k samples at 16 kHz). The same inputs give the same
/// samples. Implementations may be called concurrently; each call is independent, except that blocks of one
/// <see cref="BlockContinuation"/> must be generated one after the other, in media order.
/// </summary>
public interface IAudioGenerator : IDisposable
{
    /// <summary>The manifest kind: builtin-procedural or audioldm.</summary>
    string Kind { get; }

    /// <summary>Output sample rate in Hz (16000).</summary>
    int SampleRate { get; }

    /// <summary>The condition length it needs; null when any length works.</summary>
    int? ConditionDimension { get; }

    /// <summary>
    /// True when it honours <see cref="BlockRequest.Continuation"/>: a continued block goes on from where the previous
    /// block of its scene was at that block's nominal end, so the two overlap with correlated audio (the stitcher
    /// crossfades them with constant gain, not constant power). A continued block may be up to
    /// <see cref="Stitching.BlockTiming.MaxContinuationShortfallSamples"/> shorter than 2.56·k s; it always covers its 2.5·k s.
    /// </summary>
    bool ContinuesScenes => false;

    /// <summary>
    /// Generates several blocks in one batch (they must share one multiple); returns one array per block,
    /// in order. Throws <see cref="ArgumentException"/> for a condition of the wrong length or with
    /// non-finite values, and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    Task<float[][]> GenerateAsync(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken);

    /// <summary>Generates one block.</summary>
    async Task<float[]> GenerateAsync(ReadOnlyMemory<float> condition, int multiple, long seed, CancellationToken cancellationToken) =>
        (await GenerateAsync([new BlockRequest(condition, multiple, seed)], cancellationToken).ConfigureAwait(false))[0];
}
