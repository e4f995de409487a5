namespace V2AStream.Core.Media;

/// <summary>The pixel layouts a client may send decoded frames in (ffmpeg's names in the comments).</summary>
public enum RawVideoPixelFormat
{
    /// <summary>rgb24: packed 8-bit R, G, B, rows top to bottom, no padding.</summary>
    Rgb24,

    /// <summary>yuv420p: planar 8-bit Y, then U and V at half width and height (rounded up), no padding.</summary>
    Yuv420p,
}
