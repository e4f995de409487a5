namespace V2AStream.Core.Models;

/// <summary>
/// One model set as <see cref="ModelSetChecker.List"/> sees it: its manifest (null when unreadable) and, when it
/// cannot be used, the problem in one line with its reason (for <c>v2a doctor</c> and <c>v2a models list</c>).
/// </summary>
public sealed record ModelSetEntry
{
    public required string Name { get; init; }

    /// <summary>The set's folder; null for the built-in set.</summary>
    public string? Directory { get; init; }

    public ModelSetManifest? Manifest { get; init; }

    /// <summary>What stops the set from loading and what to do, or null when it can load.</summary>
    public string? Problem { get; init; }

    public ModelSetErrorReason? ProblemReason { get; init; }

    public bool CanLoad => Problem is null;
}
