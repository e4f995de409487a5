namespace V2AStream.Core.Files;

/// <summary>
/// An output path that cannot be written (a folder, a missing or unwritable folder, a name too long); the message is one
/// line naming the path and what to change. Not an <see cref="IOException"/>: it is the caller's path that is wrong, not
/// the disk, and a command reports it as bad usage.
/// </summary>
public sealed class OutputPathException(string message, Exception? inner = null) : Exception(message, inner);
