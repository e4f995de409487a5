namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector's score: the seed paper's dS_i = sum_j |S_c[i,j] - S_c[i+1,j]| restricted to a window of frames,
/// divided by (window length x mean squared norm of the centred embeddings). Since S_c[i,j] - S_c[i+1,j] =
/// (x_i - x_{i+1}) . (x_j - mean), the ratio is invariant to scaling and translating the embeddings (raw or
/// L2-normalized CLIP alike), equals 2 for a clean cut between two shots wherever it sits in the window, 2/(K-1) with K
/// equally long orthogonal shots, and about 2/W + 1/sqrt(D) for isotropic noise.
/// </summary>
internal static class WindowScorer
{
    /// <summary>Below this share of the mean squared norm the window is treated as still: scores are 0 rather than float noise over float noise.</summary>
    private const double StillWindowRelativeVariance = 1e-5;

    /// <summary>Writes the score of boundaries firstBoundary..firstBoundary+scores.Length-1 (boundary b is between frames b and b+1).</summary>
    public static void Score<TGram>(in TGram window, int firstBoundary, Span<double> scores)
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

        var normalizer = count * variance;
        for (var i = 0; i < scores.Length; i++)
        {
            var b = firstBoundary + i;

            // The column-mean term of the centring cancels in the difference; the row means remain (reference note 2).
            var rowMeanDifference = (window.RowSum(b) - window.RowSum(b + 1)) / count;
            double sum = 0;
            for (var j = low; j <= high; j++)
            {
                sum += Math.Abs((double)window.Gram(b, j) - window.Gram(b + 1, j) - rowMeanDifference);
            }

            scores[i] = sum / normalizer;
        }
    }
}
