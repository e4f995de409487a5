namespace V2AStream.Core.Relay;

/// <summary>
/// A video frame (PES packet) starting in a <see cref="TsChunk"/>: the offset of its first TS packet in the chunk, its
/// presentation time on the relay's continuous 90 kHz clock, and whether it is a key frame a decoder can start at.
/// </summary>
public readonly record struct VideoFrameStart(int Offset, long Pts, bool Keyframe);
