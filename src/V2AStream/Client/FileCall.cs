namespace V2AStream.Client;

/// <summary>
/// What one call of a <see cref="ResumableFile"/> sends: bytes of a file of <paramref name="Length"/> bytes from
/// <paramref name="StartByte"/> on, with the file's byte index (null when there is none), paced from
/// <paramref name="PacingStartedTimestamp"/> (a <see cref="TimeProvider"/> timestamp; null until the first paced read,
/// or when not paced).
/// </summary>
internal sealed record FileCall(MediaByteIndex? Index, long Length, long StartByte, long? PacingStartedTimestamp);
