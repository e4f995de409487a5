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

    /// <summary>Samples per latent frame: 2.56 s / 64.</summary>
    public const int SamplesPerLatentFrame = GeneratedSamplesPerMultiple / LatentFramesPerMultiple;

    /// <summary>The most a continued block's audio may fall short of 2.56·k s (<see cref="ContinuationLeadSamples"/>).</summary>
    public const int MaxContinuationShortfallSamples = SamplesPerLatentFrame / 2;

    /// <summary>The largest block multiple accepted (20 s of audio per block).</summary>
    public const int MaxMultiple = 8;

    /// <summary>The nominal length of a block of multiple <paramref name="k"/>.</summary>
    public static int NominalSamples(int k) => checked(Check(k) * NominalSamplesPerMultiple);

    /// <summary>The generated length of a block of multiple <paramref name="k"/>.</summary>
    public static int GeneratedSamples(int k) => checked(Check(k) * GeneratedSamplesPerMultiple);

    /// <summary>
    /// How many first latent frames of a continued block of multiple <paramref name="k"/> lie on the previous block's last
    /// ones: the new block starts 62.5·k frames after the previous one, so its latent starts on the previous one's frame
    /// grid at the latest frame at or before its nominal start, ceil(1.5·k) frames before that block's end.
    /// </summary>
    public static int ContinuationLatentFrames(int k) => ((3 * Check(k)) + 1) / 2;

    /// <summary>
    /// Samples by which a continued block's latent starts before the block's nominal start (0 for even k, 320 for odd k):
    /// cut from the front of its audio, which then still covers 2.5·k s.
    /// </summary>
    public static int ContinuationLeadSamples(int k) =>
        (ContinuationLatentFrames(k) * SamplesPerLatentFrame) - (GeneratedSamples(k) - NominalSamples(k));

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
