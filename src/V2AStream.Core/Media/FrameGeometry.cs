using System.Globalization;

namespace V2AStream.Core.Media;

/// <summary>
/// The size and resize rule of the RGB24 frames a <see cref="FrameReader"/> delivers, built into ffmpeg's
/// filter chain so frames arrive ready for the embedder. Pixel aspect ratio and rotation are honoured first
/// (the picture is resized as it is displayed).
/// </summary>
public sealed record FrameGeometry
{
    /// <summary>The largest width or height accepted (frame-size bound, DESIGN.md section 8).</summary>
    public const int MaxSide = 4096;

    private FrameGeometry(FrameResize resize, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        Resize = resize;
        Width = width;
        Height = height;
    }

    public FrameResize Resize { get; }

    /// <summary>Output width in pixels.</summary>
    public int Width { get; }

    /// <summary>Output height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes of one RGB24 frame.</summary>
    public int FrameBytes => Width * Height * 3;

    /// <summary>CLIP-style: shorter side to <paramref name="size"/> (bicubic), centre crop to size x size.</summary>
    public static FrameGeometry Clip(int size) => new(FrameResize.Clip, size, size);

    /// <summary>Plain bicubic resize to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static FrameGeometry Plain(int width, int height) => new(FrameResize.Plain, width, height);

    /// <summary>
    /// The ffmpeg filters after sampling: one bicubic scale straight into rgb24 (the trailing format filter makes
    /// swscale convert and resize in one pass), a crop for CLIP, and square pixels.
    /// </summary>
    internal string ToFilter()
    {
        var w = Width.ToString(CultureInfo.InvariantCulture);
        var h = Height.ToString(CultureInfo.InvariantCulture);
        if (Resize == FrameResize.Plain)
        {
            return $"scale=w={w}:h={h}:flags=bicubic,format=rgb24,setsar=1";
        }

        // Display width is iw*sar: a 704x576 PAL frame with SAR 16:11 is cropped as the 1024x576 picture it shows.
        // The shorter displayed side goes to the target; ceil keeps the other side >= the crop.
        var scaleW = $"if(gte(iw*sar\\,ih)\\,ceil({w}*iw*sar/ih/2)*2\\,{w})";
        var scaleH = $"if(gte(iw*sar\\,ih)\\,{h}\\,ceil({h}*ih/(iw*sar)/2)*2)";
        return $"scale=w='{scaleW}':h='{scaleH}':flags=bicubic,crop={w}:{h},format=rgb24,setsar=1";
    }
}
