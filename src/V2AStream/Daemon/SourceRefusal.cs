namespace V2AStream.Daemon;

/// <summary>Why a source a client named is not opened.</summary>
internal enum SourceRefusal
{
    /// <summary>Outside the allowed roots, schemes or hosts (PERMISSION_DENIED).</summary>
    Denied,

    /// <summary>Under an allowed root, but no such file (NOT_FOUND).</summary>
    NotFound,

    /// <summary>Not a usable path or URL: control characters, relative, a link loop, not a regular file (INVALID_ARGUMENT).</summary>
    Invalid,

    /// <summary>An allowed host that cannot be resolved (UNAVAILABLE).</summary>
    Unreachable,
}
