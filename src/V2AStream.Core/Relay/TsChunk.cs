namespace V2AStream.Core.Relay;

/// <summary>Whole MPEG-TS packets ready to forward, and the video frames that start in them, in order.</summary>
public sealed record TsChunk(ReadOnlyMemory<byte> Data, IReadOnlyList<VideoFrameStart> Frames)
{
    public static TsChunk Empty { get; } = new(ReadOnlyMemory<byte>.Empty, []);
}
