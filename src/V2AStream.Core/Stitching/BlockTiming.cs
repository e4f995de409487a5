namespace V2AStream.Core.Stitching;

/// <summary>
/// Block lengths in samples (DESIGN.md section 3): a block of multiple k covers 2.5·k s of media and is
/// generated at AudioLDM's native 2.56·k s (latent T = 64·k), so 60·k ms past its nominal end are free for
/// the crossfade into the next block. All positions are integer sample counts, never accumulated seconds.
/// </summary>
public static class BlockTiming
{
    /// <summary>AudioLDM's sample rate.</summary>
    public const int SampleRate = 16000;

    /// <summary>Nominal samples per k = 1 block: 2.5 s at 16 kHz.</summary>
    public const int NominalSamplesPerMultiple = 40000;

    /// <summary>Generated samples per k = 1 block: 2.56 s at 16 kHz (latent T = 64, mel 256 frames, hop 160).</summary>
    public const int GeneratedSamplesPerMultiple = 40960;

    /// <summary>Latent time frames per k = 1 block (original AudioLDM: T = int(2.5 · 25.6)).</summary>
    public const int LatentFramesPerMultiple = 64;

    /// <summary>The largest block multiple accepted (20 s of audio per block).</summary>
    public const int MaxMultiple = 8;

    /// <summary>The nominal length of a block of multiple <paramref name="k"/>.</summary>
    public static int NominalSamples(int k) => checked(Check(k) * NominalSamplesPerMultiple);

    /// <summary>The generated length of a block of multiple <paramref name="k"/>.</summary>
    public static int GeneratedSamples(int k) => checked(Check(k) * GeneratedSamplesPerMultiple);

    /// <summary>round(seconds · rate) with halves away from zero, the one conversion from media time to samples.</summary>
    public static long ToSamples(double seconds, int sampleRate) =>
        (long)Math.Round(seconds * sampleRate, MidpointRounding.AwayFromZero);

    /// <summary>Milliseconds to samples at <paramref name="sampleRate"/>, rounded.</summary>
    public static int MillisecondsToSamples(double milliseconds, int sampleRate) =>
        checked((int)Math.Round(milliseconds * sampleRate / 1000.0, MidpointRounding.AwayFromZero));

    private static int Check(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxMultiple);
        return k;
    }
}
