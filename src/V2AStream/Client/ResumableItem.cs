using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// A response of a reconnecting stream, its audio and scene times on the stream's clock. When <see cref="FillsGapOf"/> is
/// set, the response is not the server's: it is silence for the audio lost to that interruption, so that the audio
/// written stays continuous in length.
/// </summary>
internal readonly record struct ResumableItem(GenerateResponse Response, StreamInterruption? FillsGapOf = null);
