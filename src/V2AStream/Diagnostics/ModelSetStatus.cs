namespace V2AStream.Diagnostics;

/// <summary>Whether a model set can load on this machine, and if not, why and what to do.</summary>
internal sealed record ModelSetStatus(string Name, string? Directory, bool CanLoad, string? Problem);
