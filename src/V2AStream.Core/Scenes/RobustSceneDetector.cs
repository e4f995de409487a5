using System.Numerics.Tensors;

namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector, offline: it computes the band of S = X X^T that the sliding windows touch once, then replays
/// the windows the incremental form sees, summing each window's rows directly (O(T W^2) additions in all). It is
/// the reference <see cref="IncrementalSceneDetector"/> is tested against: with W &gt;= T the two agree exactly.
/// </summary>
internal sealed class RobustSceneDetector : ISceneDetector
{
    private readonly SceneDetectorOptions _options;

    public RobustSceneDetector(SceneDetectorOptions options)
    {
        options.Validate();
        _options = options;
    }

    public SceneDetectionResult Detect(ReadOnlySpan<float> embeddings, int dimension)
    {
        var frames = EmbeddingInput.CountFrames(embeddings, dimension);
        var window = _options.WindowFrames;
        var rows = new AlignedRows(frames, dimension);
        for (var t = 0; t < frames; t++)
        {
            var embedding = embeddings.Slice(t * dimension, dimension);
            EmbeddingInput.RequireFinite(embedding, t);
            embedding.CopyTo(rows[t]);
        }

        // Row a of the band holds S[a, b] for a - W < b <= a at column b % W.
        var band = new float[(long)frames * window];
        for (var a = 0; a < frames; a++)
        {
            for (var b = Math.Max(0, a - window + 1); b <= a; b++)
            {
                band[((long)a * window) + (b % window)] = TensorPrimitives.Dot(rows[a], rows[b]);
            }
        }

        var boundaries = new List<BoundaryScore>(Math.Max(0, frames - 1));
        var decider = new CutDecider(_options, boundaries.Add);
        var scorer = new WindowScorer(Math.Min(window, Math.Max(frames, 1)), _options.LookaheadFrames, _options.MinRelativeVariance);
        var rowSums = new double[frames];
        var scores = new double[decider.ScoredBoundaries];
        var changes = new double[decider.ScoredBoundaries];
        for (var newest = 1; newest < frames; newest++)
        {
            var low = Math.Max(0, newest - window + 1);
            var view = new BandWindow(band, window, rowSums, low, newest);
            for (var k = low; k <= newest; k++)
            {
                double sum = 0;
                for (var j = low; j <= newest; j++)
                {
                    sum += view.Gram(k, j);
                }

                rowSums[k] = sum;
            }

            var firstBoundary = Math.Max(low, newest - scores.Length);
            var newestScores = scores.AsSpan(0, newest - firstBoundary);
            var newestChanges = changes.AsSpan(0, newestScores.Length);
            scorer.Score(view, firstBoundary, newestScores, newestChanges);
            decider.OnFrame(newest, firstBoundary, newestScores, newestChanges, events: null);
        }

        if (frames > 1)
        {
            decider.Complete(events: null);
        }

        return SceneDetectionResult.FromCuts(frames, _options.FramesPerSecond, decider.Cuts) with { Boundaries = boundaries };
    }

    private readonly struct BandWindow(float[] band, int window, double[] rowSums, int low, int high) : IGramWindow
    {
        public int Low => low;

        public int High => high;

        public float Gram(int a, int b) => a >= b ? band[((long)a * window) + (b % window)] : band[((long)b * window) + (a % window)];

        public double RowSum(int k) => rowSums[k];
    }
}
