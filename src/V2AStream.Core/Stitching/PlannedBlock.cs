namespace V2AStream.Core.Stitching;

/// <summary>A block to generate: <see cref="GeneratedSamples"/> samples of the scene's sound starting at <see cref="StartSample"/>.</summary>
/// <param name="SceneIndex">The scene it sounds (0 for the first).</param>
/// <param name="StartSample">Its position in the output, in samples from media time 0.</param>
/// <param name="Multiple">The block multiple k (2.5·k s nominal).</param>
public sealed record PlannedBlock(int SceneIndex, long StartSample, int Multiple)
{
    /// <summary>How many samples the generator makes for it: 2.56·k s.</summary>
    public int GeneratedSamples => BlockTiming.GeneratedSamples(Multiple);

    /// <summary>The most of its audio that can be heard before the next block: 2.5·k s (less when a cut comes first).</summary>
    public int NominalSamples => BlockTiming.NominalSamples(Multiple);
}
