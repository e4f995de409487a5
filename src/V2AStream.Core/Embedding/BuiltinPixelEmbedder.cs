using System.Numerics.Tensors;
using V2AStream.Core.Media;

namespace V2AStream.Core.Embedding;

/// <summary>
/// The model-free embedder of the built-in set: a deterministic 512-d descriptor of a 64x64 frame (plain resize),
/// L2-normalized. Blocks, each L2-normalized and weighted before the final normalization:
/// global HSV histogram (8 hue x 4 saturation x 4 value = 128), per-quadrant HSV histograms (4 x 32 = 128),
/// 4x4 grid of mean YCbCr (48), 8x8 contrast-normalized luma thumbnail (64), 4x4 grid of gradient-orientation
/// histograms (HOG-like, 4x4 x 8 = 128) and 4x4 grid of edge energy (16). Histograms are square-rooted
/// (Hellinger kernel) so one dominant colour does not swamp the cosine. Thread-safe (no state).
/// </summary>
public sealed class BuiltinPixelEmbedder : IFrameEmbedder
{
    public const int Dimension = 512;
    public const int Side = 64;

    private const int HueBins = 8;
    private const int GlobalHistogram = HueBins * 4 * 4;
    private const int QuadrantHistogram = HueBins * 2 * 2;
    private const int GridMeans = 16 * 3;
    private const int Thumbnail = 64;
    private const int Orientations = 8;
    private const int GradientHistogram = 16 * Orientations;
    private const int EdgeEnergy = 16;

    // Block weights: colour and texture carry most shot identity; layout blocks are noisier under motion.
    private const float GlobalWeight = 1.0f;
    private const float QuadrantWeight = 1.0f;
    private const float GridWeight = 0.8f;
    private const float ThumbnailWeight = 0.7f;
    private const float GradientWeight = 1.0f;
    private const float EdgeWeight = 0.5f;

    public string Name => "builtin-pixel";

    public int Dim => Dimension;

    public FrameGeometry Geometry { get; } = FrameGeometry.Plain(Side, Side);

    public int MaxBatchSize => 64;

    public Task EmbedAsync(IReadOnlyList<VideoFrame> frames, Memory<float> embeddings, CancellationToken cancellationToken)
    {
        this.CheckArguments(frames, embeddings);
        for (var i = 0; i < frames.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Describe(frames[i].Pixels.Span, embeddings.Span.Slice(i * Dimension, Dimension));
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }

    /// <summary>The descriptor of one 64x64 RGB24 picture.</summary>
    internal static void Describe(ReadOnlySpan<byte> rgb, Span<float> output)
    {
        output.Clear();
        var global = output[..GlobalHistogram];
        var quadrants = output.Slice(GlobalHistogram, 4 * QuadrantHistogram);
        var grid = output.Slice(GlobalHistogram + (4 * QuadrantHistogram), GridMeans);
        var thumbnail = output.Slice(GlobalHistogram + (4 * QuadrantHistogram) + GridMeans, Thumbnail);
        var gradients = output.Slice(GlobalHistogram + (4 * QuadrantHistogram) + GridMeans + Thumbnail, GradientHistogram);
        var edges = output.Slice(GlobalHistogram + (4 * QuadrantHistogram) + GridMeans + Thumbnail + GradientHistogram, EdgeEnergy);

        Span<float> luma = stackalloc float[Side * Side];
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var p = ((y * Side) + x) * 3;
                float r = rgb[p] * (1f / 255), g = rgb[p + 1] * (1f / 255), b = rgb[p + 2] * (1f / 255);
                var (hue, saturation, value) = Hsv(r, g, b);
                var hueBin = Math.Min((int)(hue * HueBins), HueBins - 1);
                global[(((hueBin * 4) + Bin(saturation, 4)) * 4) + Bin(value, 4)] += 1;
                var quadrant = ((y / (Side / 2)) * 2) + (x / (Side / 2));
                quadrants[(quadrant * QuadrantHistogram) + (((hueBin * 2) + Bin(saturation, 2)) * 2) + Bin(value, 2)] += 1;

                // BT.601 YCbCr, centred so a grey picture gives Cb = Cr = 0.
                var yLuma = (0.299f * r) + (0.587f * g) + (0.114f * b);
                var cell = ((y / (Side / 4)) * 4) + (x / (Side / 4));
                grid[cell * 3] += yLuma - 0.5f;
                grid[(cell * 3) + 1] += (-0.168736f * r) - (0.331264f * g) + (0.5f * b);
                grid[(cell * 3) + 2] += (0.5f * r) - (0.418688f * g) - (0.081312f * b);
                thumbnail[((y / (Side / 8)) * 8) + (x / (Side / 8))] += yLuma;
                luma[(y * Side) + x] = yLuma;
            }
        }

        // Gradient orientation histograms (unsigned, magnitude-weighted) and edge energy per 16x16 cell (Dalal & Triggs 2005, without block overlap).
        for (var y = 1; y < Side - 1; y++)
        {
            for (var x = 1; x < Side - 1; x++)
            {
                var gx = luma[(y * Side) + x + 1] - luma[(y * Side) + x - 1];
                var gy = luma[((y + 1) * Side) + x] - luma[((y - 1) * Side) + x];
                var magnitude = MathF.Sqrt((gx * gx) + (gy * gy));
                if (magnitude < 1e-4f)
                {
                    continue;
                }

                var angle = MathF.Atan2(gy, gx);
                if (angle < 0)
                {
                    angle += MathF.PI;
                }

                var orientation = Math.Min((int)(angle / MathF.PI * Orientations), Orientations - 1);
                var cell = ((y / (Side / 4)) * 4) + (x / (Side / 4));
                gradients[(cell * Orientations) + orientation] += magnitude;
                edges[cell] += magnitude;
            }
        }

        // Contrast-normalized layout: what is brighter or darker than the frame's mean, not the exposure.
        var mean = TensorPrimitives.Sum(thumbnail) / Thumbnail;
        TensorPrimitives.Subtract(thumbnail, mean, thumbnail);

        SqrtInPlace(global);
        SqrtInPlace(quadrants);
        SqrtInPlace(gradients);
        Normalize(global, GlobalWeight);
        for (var q = 0; q < 4; q++)
        {
            Normalize(quadrants.Slice(q * QuadrantHistogram, QuadrantHistogram), QuadrantWeight / 2);
        }

        Normalize(grid, GridWeight);
        Normalize(thumbnail, ThumbnailWeight);
        Normalize(gradients, GradientWeight);
        Normalize(edges, EdgeWeight);
        Normalize(output, 1);
    }

    private static (float Hue, float Saturation, float Value) Hsv(float r, float g, float b)
    {
        var max = MathF.Max(r, MathF.Max(g, b));
        var min = MathF.Min(r, MathF.Min(g, b));
        var chroma = max - min;
        if (chroma <= 1e-6f)
        {
            return (0, 0, max);
        }

        float sector;
        if (max == r)
        {
            sector = (g - b) / chroma;
            if (sector < 0)
            {
                sector += 6;
            }
        }
        else if (max == g)
        {
            sector = ((b - r) / chroma) + 2;
        }
        else
        {
            sector = ((r - g) / chroma) + 4;
        }

        return (sector / 6, chroma / max, max);
    }

    private static int Bin(float value, int bins) => Math.Min((int)(value * bins), bins - 1);

    private static void SqrtInPlace(Span<float> values)
    {
        foreach (ref var value in values)
        {
            value = MathF.Sqrt(value);
        }
    }

    private static void Normalize(Span<float> values, float weight)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Multiply(values, weight / norm, values);
        }
    }
}
