namespace V2AStream.Core.Models;

/// <summary>The result of checking a model set's files against its manifest.</summary>
public sealed record ModelSetCheckReport(string Name, string? Directory, IReadOnlyList<ModelPartCheck> Parts)
{
    /// <summary>True when every part passed.</summary>
    public bool Ok => Parts.All(p => p.Ok);
}
