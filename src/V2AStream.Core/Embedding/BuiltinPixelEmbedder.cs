using System.Numerics.Tensors;
using V2AStream.Core.Media;

namespace V2AStream.Core.Embedding;

/// <summary>
/// The model-free embedder of the built-in set: a deterministic 512-d descriptor of a 64x64 frame (plain resize),
/// L2-normalized. Blocks: per-quadrant HSV histograms (4 x (8 hue x 2 saturation x 2 value) = 128, each L2-normalized
/// to 1/2), a 4x4 grid of gradient-orientation histograms (HOG-like, 4x4 x 8 = 128, L2-normalized) and a 4x4 grid of
/// soft-binned mean chroma (4x4 x (8 Cb + 8 Cr bins) = 256, weight 3, not normalized). Histograms are square-rooted
/// (Hellinger kernel) so one dominant colour does not swamp the cosine. Thread-safe (no state).
/// The chroma grid is what tells a hard cut from an object crossing part of the frame: a cell's mean Cb and Cr are
/// interpolated between bins 0.043 apart, so its share of a squared distance saturates once its colour moves a bin
/// or two, and a cut, which recolours every cell, outweighs a hand that strongly recolours a few of the 16 cells
/// (such a hand stays under the detector's 0.35 score floor). A grey cell's code is subtracted so the block is zero on
/// grey pictures: greyscale footage is described by the histograms and gradients alone. The chroma block has no
/// normalization of its own: with weight 3 one cell channel whose mean colour moves two bins or more changes the code
/// by 3·√2, more than either normalized block can change in all (norm 1), so colour changes across many cells lead the
/// distance. On the shared evaluation set (../shared/data/cuts, bench/README.md, scene detection) weights 1 to 3 give
/// the same cuts, so the choice is not sensitive within that range.
/// </summary>
public sealed class BuiltinPixelEmbedder : IFrameEmbedder
{
    public const int Dimension = 512;
    public const int Side = 64;

    private const int HueBins = 8;
    private const int QuadrantHistogram = HueBins * 2 * 2;
    private const int Orientations = 8;
    private const int GradientHistogram = 16 * Orientations;
    private const int ChromaBins = 8;
    private const int ChromaGrid = 16 * 2 * ChromaBins;

    /// <summary>Cell-mean Cb and Cr are binned over [-range, range] and clamped beyond (saturated colours average lower over a cell).</summary>
    private const float ChromaRange = 0.15f;

    private const float QuadrantWeight = 1.0f;
    private const float GradientWeight = 1.0f;
    private const float ChromaWeight = 3.0f;

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
        var quadrants = output[..(4 * QuadrantHistogram)];
        var gradients = output.Slice(4 * QuadrantHistogram, GradientHistogram);
        var chroma = output.Slice((4 * QuadrantHistogram) + GradientHistogram, ChromaGrid);

        Span<float> luma = stackalloc float[Side * Side];
        Span<float> chromaSums = stackalloc float[16 * 2];
        chromaSums.Clear();
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var p = ((y * Side) + x) * 3;
                float r = rgb[p] * (1f / 255), g = rgb[p + 1] * (1f / 255), b = rgb[p + 2] * (1f / 255);
                var (hue, saturation, value) = Hsv(r, g, b);
                var hueBin = Math.Min((int)(hue * HueBins), HueBins - 1);
                var quadrant = ((y / (Side / 2)) * 2) + (x / (Side / 2));
                quadrants[(quadrant * QuadrantHistogram) + (((hueBin * 2) + Bin(saturation, 2)) * 2) + Bin(value, 2)] += 1;

                // BT.601 YCbCr, centred so a grey pixel gives Cb = Cr = 0.
                var cell = ((y / (Side / 4)) * 4) + (x / (Side / 4));
                chromaSums[cell * 2] += (-0.168736f * r) - (0.331264f * g) + (0.5f * b);
                chromaSums[(cell * 2) + 1] += (0.5f * r) - (0.418688f * g) - (0.081312f * b);
                luma[(y * Side) + x] = (0.299f * r) + (0.587f * g) + (0.114f * b);
            }
        }

        // Gradient orientation histograms (unsigned, magnitude-weighted) per 16x16 cell (Dalal & Triggs 2005, without block overlap).
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
            }
        }

        const float pixelsPerCell = (Side / 4) * (Side / 4);
        for (var channel = 0; channel < chromaSums.Length; channel++)
        {
            var code = chroma.Slice(channel * ChromaBins, ChromaBins);
            AddSoftBin(code, chromaSums[channel] / pixelsPerCell, ChromaWeight);
            AddSoftBin(code, 0, -ChromaWeight);
        }

        SqrtInPlace(quadrants);
        SqrtInPlace(gradients);
        for (var q = 0; q < 4; q++)
        {
            Normalize(quadrants.Slice(q * QuadrantHistogram, QuadrantHistogram), QuadrantWeight / 2);
        }

        Normalize(gradients, GradientWeight);
        Normalize(output, 1);
    }

    /// <summary>Adds weight x the linear-interpolation code of value in [-ChromaRange, ChromaRange] (clamped) to the bins.</summary>
    private static void AddSoftBin(Span<float> bins, float value, float weight)
    {
        var position = Math.Clamp((value + ChromaRange) / (2 * ChromaRange) * (bins.Length - 1), 0, bins.Length - 1);
        var lower = Math.Min((int)position, bins.Length - 2);
        var upperShare = position - lower;
        bins[lower] += weight * (1 - upperShare);
        bins[lower + 1] += weight * upperShare;
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
