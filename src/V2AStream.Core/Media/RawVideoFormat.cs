using System.Globalization;

namespace V2AStream.Core.Media;

/// <summary>
/// Decoded frames a client sends instead of container bytes: every frame <see cref="Width"/> x <see cref="Height"/> in
/// <see cref="PixelFormat"/>, <see cref="FramesPerSecond"/> of them per second of media. ffmpeg reads them as rawvideo,
/// so sampling, resizing and colour conversion are the same as for a decoded container.
/// </summary>
public sealed record RawVideoFormat
{
    /// <summary>The highest frame rate a raw stream may declare.</summary>
    public const double MaxFramesPerSecond = 240;

    public RawVideoFormat(int width, int height, double framesPerSecond, RawVideoPixelFormat pixelFormat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FrameGeometry.MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, FrameGeometry.MaxSide);
        if (!(framesPerSecond > 0 && framesPerSecond <= MaxFramesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, $"The frame rate must be above 0 and at most {MaxFramesPerSecond}.");
        }

        if (!Enum.IsDefined(pixelFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(pixelFormat), pixelFormat, "Unknown pixel format.");
        }

        Width = width;
        Height = height;
        FramesPerSecond = framesPerSecond;
        PixelFormat = pixelFormat;
    }

    public int Width { get; }

    public int Height { get; }

    public double FramesPerSecond { get; }

    public RawVideoPixelFormat PixelFormat { get; }

    /// <summary>Bytes of one frame (ffmpeg's av_image_get_buffer_size with alignment 1).</summary>
    public int FrameBytes => PixelFormat switch
    {
        RawVideoPixelFormat.Rgb24 => Width * Height * 3,
        _ => (Width * Height) + (2 * ((Width + 1) / 2) * ((Height + 1) / 2)),
    };

    /// <summary>ffmpeg's name of <see cref="PixelFormat"/>.</summary>
    public string FfmpegPixelFormat => PixelFormat switch
    {
        RawVideoPixelFormat.Rgb24 => "rgb24",
        _ => "yuv420p",
    };

    /// <summary>"160x120 yuv420p at 25 fps", for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height} {FfmpegPixelFormat} at {FramesPerSecond:0.###} fps");

    /// <summary>ffmpeg's input options that describe the frames (they go before its -i).</summary>
    internal IEnumerable<string> InputArguments() =>
    [
        "-f", "rawvideo",
        "-pixel_format", FfmpegPixelFormat,
        "-video_size", string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}"),
        "-framerate", FramesPerSecond.ToString("R", CultureInfo.InvariantCulture),
    ];
}
