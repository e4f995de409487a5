namespace V2AStream.Core.Models;

/// <summary>What checking one part found: one verdict per file or aspect, and the part's dimensions when it passed.</summary>
public sealed record ModelPartReport(IReadOnlyList<ModelPartCheck> Checks, ModelPartDimensions? Dimensions)
{
    public bool Ok => Checks.All(c => c.Ok);
}
