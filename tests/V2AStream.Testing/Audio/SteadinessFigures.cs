namespace V2AStream.Testing.Audio;

/// <summary>Mean spectral change at cuts, at in-scene block boundaries and inside blocks, and how many places each mean covers.</summary>
public sealed record SteadinessFigures(double AtCuts, double AtBlockBoundaries, double InsideBlocks, int Cuts, int BlockBoundaries, int InsidePlaces)
{
    public double BoundaryRatio => AtBlockBoundaries / InsideBlocks;

    public double CutRatio => AtCuts / InsideBlocks;
}
