using System.Diagnostics;
using System.Globalization;

namespace V2AStream.Bench.Scenes;

/// <summary>
/// Stand-in embedder until the builtin and MobileNetV2 embedders (issue 3) land, the same as the tests' ClipEmbedder:
/// ffmpeg decodes at a constant rate to 64x64 RGB; a frame is a 4x4x4 colour histogram plus an 8x8 grid of mean colours.
/// </summary>
internal static class ColourEmbedder
{
    public const int Dimension = 64 + (8 * 8 * 3);
    private const int Side = 64;

    public static async Task<float[]> EmbedAsync(string path, double framesPerSecond, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "-nostdin", "-v", "error", "-i", path,
            "-vf", $"fps={framesPerSecond.ToString(CultureInfo.InvariantCulture)},scale={Side}:{Side}:flags=area",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var pixels = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(pixels, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed on {path}: {await stderr}");
        }

        var bytes = pixels.GetBuffer().AsSpan(0, (int)pixels.Length);
        const int frameBytes = Side * Side * 3;
        var frames = bytes.Length / frameBytes;
        var embeddings = new float[frames * Dimension];
        for (var t = 0; t < frames; t++)
        {
            Describe(bytes.Slice(t * frameBytes, frameBytes), embeddings.AsSpan(t * Dimension, Dimension));
        }

        return embeddings;
    }

    private static void Describe(ReadOnlySpan<byte> rgb, Span<float> embedding)
    {
        var histogram = embedding[..64];
        var grid = embedding[64..];
        const float pixelShare = 1f / (Side * Side);
        const float cellShare = 1f / (8 * 8 * 255);
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var i = ((y * Side) + x) * 3;
                var (r, g, b) = (rgb[i], rgb[i + 1], rgb[i + 2]);
                histogram[((r >> 6) * 16) + ((g >> 6) * 4) + (b >> 6)] += pixelShare;
                var cell = (((y / 8) * 8) + (x / 8)) * 3;
                grid[cell] += r * cellShare;
                grid[cell + 1] += g * cellShare;
                grid[cell + 2] += b * cellShare;
            }
        }
    }
}
