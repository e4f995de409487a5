using System.Numerics.Tensors;

namespace V2AStream.Core.Training;

/// <summary>
/// How well mapped embeddings match their CLAP targets over <see cref="Pairs"/> pairs: the training objective
/// (<see cref="Mse"/>, mean of (output − target)² over every value, output before the engine's L2 normalization),
/// the mean cosine similarity (what survives that normalization), and top-1 retrieval accuracy (the share of
/// outputs whose most similar target among all the pairs' targets is their own; null when not computed).
/// </summary>
public sealed record MappingMetrics(int Pairs, double Mse, double MeanCosine, double? Top1Accuracy)
{
    /// <summary>Keeps the score block of the retrieval under about 16 MB whatever the number of pairs.</summary>
    private const int MaxScoreValues = 1 << 22;

    /// <summary>Scores <paramref name="outputs"/> against <paramref name="targets"/>, both [pairs, dim] row-major.</summary>
    /// <param name="retrieval">Also compute top-1 retrieval (pairs² · dim multiply-adds).</param>
    /// <param name="threads">Threads for the retrieval's matrix products.</param>
    public static MappingMetrics Compute(ReadOnlyMemory<float> outputs, ReadOnlyMemory<float> targets, int pairs, int dim, bool retrieval, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        var output = outputs.Span[..(pairs * dim)];
        var target = targets.Span[..(pairs * dim)];
        var squares = 0.0;
        var cosines = 0.0;
        for (var row = 0; row < pairs; row++)
        {
            var o = output.Slice(row * dim, dim);
            var t = target.Slice(row * dim, dim);
            double dot = 0, oo = 0, tt = 0;
            for (var i = 0; i < dim; i++)
            {
                var difference = (double)o[i] - t[i];
                squares += difference * difference;
                dot += (double)o[i] * t[i];
                oo += (double)o[i] * o[i];
                tt += (double)t[i] * t[i];
            }

            cosines += oo > 0 && tt > 0 ? dot / Math.Sqrt(oo * tt) : 0;
        }

        return new MappingMetrics(pairs, squares / ((double)pairs * dim), cosines / pairs, retrieval ? Top1(outputs, targets, pairs, dim, threads) : null);
    }

    private static double Top1(ReadOnlyMemory<float> outputs, ReadOnlyMemory<float> targets, int pairs, int dim, int threads)
    {
        // Cosine ranks targets like the dot product once each target is unit length; the output's own norm is the same for all.
        var unitTargets = new float[pairs * dim];
        var target = targets.Span;
        for (var row = 0; row < pairs; row++)
        {
            var source = target.Slice(row * dim, dim);
            var norm = TensorPrimitives.Norm(source);
            TensorPrimitives.Divide(source, norm > 0 ? norm : 1f, unitTargets.AsSpan(row * dim, dim));
        }

        var transposed = new float[dim * pairs];
        MatrixMultiply.Transpose(unitTargets, pairs, dim, transposed);
        var blockRows = Math.Max(1, Math.Min(pairs, MaxScoreValues / pairs));
        var scores = new float[blockRows * pairs];
        var correct = 0;
        for (var first = 0; first < pairs; first += blockRows)
        {
            var rows = Math.Min(blockRows, pairs - first);
            MatrixMultiply.Multiply(outputs.Slice(first * dim, rows * dim), transposed, scores, rows, dim, pairs, threads);
            for (var r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(r * pairs, pairs);
                if (TensorPrimitives.IndexOfMax(row) == first + r)
                {
                    correct++;
                }
            }
        }

        return (double)correct / pairs;
    }
}
