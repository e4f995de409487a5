namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector's score, the seed paper's dS restricted to a window of frames and made a step detector.
/// The paper's dS_i = sum_j |S_c[i,j] - S_c[i+1,j]| = sum_j |(x_i - x_{i+1}) . c_j| with c_j = x_j - window mean
/// (the column-mean term of the centring cancels, reference note 2). Here x_i and x_{i+1} become the means of the
/// blocks of up to L+1 frames before and after the boundary (L = lookahead), so a one-frame flash or a noisy frame
/// moves the score by a factor L+1 less than a cut does; in the columns of the two blocks a frame is left out of its
/// own block's mean, since its squared norm would score its noise. The sum is divided by (window length x mean squared norm of the
/// c_j), which makes it invariant to scaling and translating the embeddings (raw or L2-normalized CLIP alike).
/// A clean cut between two shots scores about 2 (wherever it sits in the window), K equally long orthogonal
/// shots in the window dilute that towards 2/(K-1), and isotropic noise scores about 1.1/sqrt(D (L+1)).
/// </summary>
internal static class WindowScorer
{
    /// <summary>Below this share of the mean squared norm the window is treated as still: scores are 0 rather than float noise over float noise.</summary>
    private const double StillWindowRelativeVariance = 1e-5;

    /// <summary>Writes the score of boundaries firstBoundary..firstBoundary+scores.Length-1 (boundary b is between frames b and b+1).</summary>
    public static void Score<TGram>(in TGram window, int lookahead, double minimumRelativeVariance, int firstBoundary, Span<double> scores)
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
            return;
        }

        // A still window's variance is its noise: dividing by it would make any flicker look like a cut.
        var normalizer = count * Math.Max(variance, minimumRelativeVariance * meanSquaredNorm);
        for (var i = 0; i < scores.Length; i++)
        {
            var b = firstBoundary + i;
            var beforeFirst = Math.Max(low, b - lookahead);
            var afterLast = Math.Min(high, b + 1 + lookahead);
            var beforeWeight = 1.0 / (b - beforeFirst + 1);
            var afterWeight = 1.0 / (afterLast - b);
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

            var rowMeanDifference = ((afterRowSum * afterWeight) - (beforeRowSum * beforeWeight)) / count;
            var beforeCount = b - beforeFirst + 1;
            var afterCount = afterLast - b;
            double sum = 0;
            for (var j = low; j <= high; j++)
            {
                double before = 0;
                for (var k = beforeFirst; k <= b; k++)
                {
                    before += window.Gram(k, j);
                }

                double after = 0;
                for (var k = b + 1; k <= afterLast; k++)
                {
                    after += window.Gram(k, j);
                }

                // Inside a block, a frame's own squared norm would score its noise: leave it out of its block's mean
                // (a block of one frame then has nothing left to compare, and the column is skipped).
                if (j >= beforeFirst && j <= b)
                {
                    if (beforeCount == 1)
                    {
                        continue;
                    }

                    before = (before - window.Gram(j, j)) / (beforeCount - 1);
                    after *= afterWeight;
                }
                else if (j > b && j <= afterLast)
                {
                    if (afterCount == 1)
                    {
                        continue;
                    }

                    after = (after - window.Gram(j, j)) / (afterCount - 1);
                    before *= beforeWeight;
                }
                else
                {
                    before *= beforeWeight;
                    after *= afterWeight;
                }

                sum += Math.Abs(after - before - rowMeanDifference);
            }

            scores[i] = sum / normalizer;
        }
    }
}
