using System.Numerics.Tensors;

namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector's score, the seed paper's dS restricted to a window of frames and made a step detector.
/// The paper's dS_i = sum_j |S_c[i,j] - S_c[i+1,j]| = sum_j |(x_i - x_{i+1}) . c_j| with c_j = x_j - window mean
/// (the column-mean term of the centring cancels, reference note 2). Here x_i and x_{i+1} become the means of the
/// blocks of up to L+1 frames before and after the boundary (L = lookahead), so a one-frame flash or a noisy frame
/// moves the score by a factor L+1 less than a cut does; in the columns of the two blocks a frame is left out of its
/// own block's mean, since its squared norm would score its noise. The sum is divided by (window length x mean
/// squared norm of the c_j, at least MinRelativeVariance x mean squared norm of the x_j), which makes it invariant to
/// scaling and translating the embeddings (raw or L2-normalized CLIP alike). A clean cut between two shots scores
/// about 2 wherever it sits in the window; K equally long orthogonal shots in the window dilute that towards
/// 2/(K-1); isotropic noise scores about 1.1/sqrt(D (L+1)).
/// Because the score is relative to the window's spread, it cannot tell a cut from codec flicker in a still window
/// (a static picture whose embeddings move by 2-4 % of their squared norm scores like a cut). So each boundary also
/// gets its absolute change: |mean after - mean before|^2 / mean squared norm of the window's embeddings, from the
/// same block sums. It is invariant to scaling the embeddings but not relative to their spread; for L2-normalized
/// embeddings it is 2 (1 - cosine) between the blocks' means.
/// One instance per detector: it owns scratch buffers and is not thread-safe.
/// </summary>
internal sealed class WindowScorer
{
    /// <summary>Below this share of the mean squared norm the window is treated as still: scores are 0 rather than float noise over float noise.</summary>
    private const double StillWindowRelativeVariance = 1e-5;

    private readonly int _lookahead;
    private readonly double _minimumRelativeVariance;
    private readonly double[] _rows;
    private readonly double[] _before;
    private readonly double[] _after;
    private readonly double[] _difference;

    public WindowScorer(int windowFrames, int lookahead, double minimumRelativeVariance)
    {
        _lookahead = lookahead;
        _minimumRelativeVariance = minimumRelativeVariance;
        _rows = new double[((3 * lookahead) + 2) * windowFrames];
        _before = new double[windowFrames];
        _after = new double[windowFrames];
        _difference = new double[windowFrames];
    }

    /// <summary>
    /// Writes the score of boundaries firstBoundary..firstBoundary+scores.Length-1 (boundary b is between frames b and
    /// b+1); the last one must be the window's newest boundary, and there are at most 2L+1. <paramref name="changes"/>
    /// (as long as <paramref name="scores"/>) gets each boundary's absolute change.
    /// </summary>
    public void Score<TGram>(in TGram window, int firstBoundary, Span<double> scores, Span<double> changes)
        where TGram : struct, IGramWindow
    {
        var low = window.Low;
        var high = window.High;
        var count = high - low + 1;
        double trace = 0;
        double grand = 0;
        for (var j = low; j <= high; j++)
        {
            trace += window.Gram(j, j);
            grand += window.RowSum(j);
        }

        var meanSquaredNorm = trace / count;

        // mean_j |x_j - mean|^2 = mean_j S[j,j] - |mean|^2, and |mean|^2 = sum(S) / count^2.
        var variance = meanSquaredNorm - (grand / ((double)count * count));
        if (!(variance > StillWindowRelativeVariance * Math.Abs(meanSquaredNorm)))
        {
            scores.Clear();
            changes.Clear();
            return;
        }

        // A still window's variance is its noise: dividing by it would make any flicker look like a cut.
        var normalizer = count * Math.Max(variance, _minimumRelativeVariance * meanSquaredNorm);

        // The rows of S the blocks need, copied once into a dense [rows, count] scratch so that the block sums below
        // are plain vector operations.
        var firstRow = Math.Max(low, firstBoundary - _lookahead);
        for (var k = firstRow; k <= high; k++)
        {
            var row = _rows.AsSpan((k - firstRow) * count, count);
            for (var j = low; j <= high; j++)
            {
                row[j - low] = window.Gram(k, j);
            }
        }

        var before = _before.AsSpan(0, count);
        var after = _after.AsSpan(0, count);
        var difference = _difference.AsSpan(0, count);
        for (var i = 0; i < scores.Length; i++)
        {
            var b = firstBoundary + i;
            var beforeFirst = Math.Max(low, b - _lookahead);
            var afterLast = Math.Min(high, b + 1 + _lookahead);
            var beforeCount = b - beforeFirst + 1;
            var afterCount = afterLast - b;
            SumRows(beforeFirst - firstRow, b - firstRow, count, before);
            SumRows(b + 1 - firstRow, afterLast - firstRow, count, after);
            double beforeRowSum = 0;
            for (var k = beforeFirst; k <= b; k++)
            {
                beforeRowSum += window.RowSum(k);
            }

            double afterRowSum = 0;
            for (var k = b + 1; k <= afterLast; k++)
            {
                afterRowSum += window.RowSum(k);
            }

            var rowMeanDifference = ((afterRowSum / afterCount) - (beforeRowSum / beforeCount)) / count;
            TensorPrimitives.Multiply(after, 1.0 / afterCount, difference);
            TensorPrimitives.MultiplyAdd(before, -1.0 / beforeCount, difference, difference);
            TensorPrimitives.Subtract(difference, rowMeanDifference, difference);

            // Inside a block, a frame's own squared norm would score its noise: leave it out of its block's mean (a
            // block of one frame then has nothing left to compare, and the column drops out).
            for (var j = beforeFirst; j <= afterLast; j++)
            {
                var column = j - low;
                var inBefore = j <= b;
                var ownCount = inBefore ? beforeCount : afterCount;
                if (ownCount == 1)
                {
                    difference[column] = 0;
                    continue;
                }

                var self = window.Gram(j, j);
                difference[column] = inBefore
                    ? (after[column] / afterCount) - ((before[column] - self) / (beforeCount - 1)) - rowMeanDifference
                    : ((after[column] - self) / (afterCount - 1)) - (before[column] / beforeCount) - rowMeanDifference;
            }

            // |a - b|^2 = a.a + b.b - 2 a.b with a, b the block means, from the block sums of S already at hand.
            var afterColumns = after.Slice(b + 1 - low, afterCount);
            var beforeColumns = before.Slice(beforeFirst - low, beforeCount);
            var afterSquared = TensorPrimitives.Sum<double>(afterColumns) / ((double)afterCount * afterCount);
            var beforeSquared = TensorPrimitives.Sum<double>(beforeColumns) / ((double)beforeCount * beforeCount);
            var crossed = TensorPrimitives.Sum<double>(before.Slice(b + 1 - low, afterCount)) / ((double)afterCount * beforeCount);
            changes[i] = Math.Max(0, afterSquared + beforeSquared - (2 * crossed)) / meanSquaredNorm;
            scores[i] = TensorPrimitives.SumOfMagnitudes<double>(difference) / normalizer;
        }
    }

    private void SumRows(int firstRow, int lastRow, int count, Span<double> destination)
    {
        _rows.AsSpan(firstRow * count, count).CopyTo(destination);
        for (var row = firstRow + 1; row <= lastRow; row++)
        {
            TensorPrimitives.Add(destination, _rows.AsSpan(row * count, count), destination);
        }
    }
}
