namespace V2AStream.Diagnostics;

/// <summary>One external program or library: found or not, its version and where, or what is wrong and the fix.</summary>
internal sealed record ToolStatus(string Name, bool Found, string? Version, string? Path, string? Problem);
