namespace V2AStream.Core.Stitching;

/// <summary>How blocks are joined. Both crossfades are equal-power (cos/sin gains, constant summed power).</summary>
public sealed record StitcherOptions
{
    /// <summary>Sample rate of the blocks and the output.</summary>
    public int SampleRate { get; init; } = BlockTiming.SampleRate;

    /// <summary>Crossfade between consecutive blocks of one scene: the 60 ms every block carries past its nominal end.</summary>
    public double BlockCrossfadeMilliseconds { get; init; } = 60;

    /// <summary>Crossfade at a scene cut (DESIGN.md: default 120 ms, configurable). It is shortened where the
    /// outgoing block has less audio past the cut, or the incoming block is shorter.</summary>
    public double CutCrossfadeMilliseconds { get; init; } = 120;

    internal int BlockCrossfadeSamples => BlockTiming.MillisecondsToSamples(BlockCrossfadeMilliseconds, SampleRate);

    internal int CutCrossfadeSamples => BlockTiming.MillisecondsToSamples(CutCrossfadeMilliseconds, SampleRate);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleRate, 1, nameof(SampleRate));
        if (!(BlockCrossfadeMilliseconds >= 0 && BlockCrossfadeMilliseconds <= 10_000))
        {
            throw new ArgumentOutOfRangeException(nameof(BlockCrossfadeMilliseconds), BlockCrossfadeMilliseconds, "Block crossfade must be between 0 and 10000 ms.");
        }

        if (!(CutCrossfadeMilliseconds >= 0 && CutCrossfadeMilliseconds <= 10_000))
        {
            throw new ArgumentOutOfRangeException(nameof(CutCrossfadeMilliseconds), CutCrossfadeMilliseconds, "Cut crossfade must be between 0 and 10000 ms.");
        }
    }
}
