using System.Numerics.Tensors;

namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector in streaming form: <see cref="Push"/> one embedding per sampled frame, get the cut events that
/// frame settles, and <see cref="Complete"/> at end of stream. It keeps the last W embeddings, the W x W window of the
/// Gram matrix S = X X^T and its running row sums: a frame costs one new row of S (W dot products of length D) plus
/// O(W) bookkeeping, never a rebuild. With W &gt;= T its cuts equal <see cref="SceneDetectors.Create"/>'s offline robust
/// detector's on the same sequence, bit for bit. Not thread-safe: one stream, one instance.
/// </summary>
public sealed class IncrementalSceneDetector : IStreamingSceneDetector
{
    private readonly SceneDetectorOptions _options;
    private readonly int _window;
    private readonly AlignedRows _rows;
    private readonly float[] _gram;
    private readonly double[] _rowSums;
    private readonly double[] _scores;
    private readonly double[] _changes;
    private readonly CutDecider _decider;
    private readonly WindowScorer _scorer;
    private readonly List<SceneCutEvent> _events = [];
    private bool _completed;

    /// <summary>Creates a detector for <paramref name="dimension"/>-float embeddings; options are validated here.</summary>
    /// <param name="onBoundary">Told of every decided boundary, in order, with its score and thresholds; may be null.</param>
    public IncrementalSceneDetector(SceneDetectorOptions options, int dimension, Action<BoundaryScore>? onBoundary = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Detector != SceneDetectorKind.Robust)
        {
            throw new SceneDetectionException(
                SceneDetectionError.InvalidState, $"the {options.Detector} detector is offline only: use the robust detector for streams.");
        }

        if (dimension <= 0)
        {
            throw new SceneDetectionException(SceneDetectionError.DimensionMismatch, $"embedding dimension must be > 0, got {dimension}.");
        }

        _options = options;
        _window = options.WindowFrames;
        Dimension = dimension;
        _rows = new AlignedRows(_window, dimension);
        _gram = new float[_window * _window];
        _rowSums = new double[_window];
        _decider = new CutDecider(options, onBoundary);
        _scorer = new WindowScorer(_window, options.LookaheadFrames, options.MinRelativeVariance);
        _scores = new double[_decider.ScoredBoundaries];
        _changes = new double[_decider.ScoredBoundaries];
    }

    /// <summary>The embedding length every <see cref="Push"/> must have.</summary>
    public int Dimension { get; }

    public int LookaheadFrames => _options.LookaheadFrames;

    /// <summary>Frames pushed so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>The final cuts decided so far, in frame order.</summary>
    public IReadOnlyList<SceneCut> Cuts => _decider.Cuts;

    /// <summary>
    /// Adds the next frame's embedding (copied) and returns the events it settles: a provisional cut at this frame,
    /// and the final or withdrawn decision for the cut <see cref="SceneDetectorOptions.LookaheadFrames"/> frames back.
    /// </summary>
    public IReadOnlyList<SceneCutEvent> Push(ReadOnlySpan<float> embedding)
    {
        if (_completed)
        {
            throw new SceneDetectionException(SceneDetectionError.InvalidState, "Push after Complete: create a new detector for a new stream.");
        }

        if (embedding.Length != Dimension)
        {
            throw new SceneDetectionException(
                SceneDetectionError.DimensionMismatch,
                $"embedding of frame {FrameCount} has {embedding.Length} values, the detector expects {Dimension}: use one embedder per stream.");
        }

        EmbeddingInput.RequireFinite(embedding, FrameCount);

        var newest = FrameCount;
        var slot = newest % _window;
        if (newest >= _window)
        {
            Evict(newest - _window);
        }

        embedding.CopyTo(_rows[slot]);
        var low = Math.Max(0, newest - _window + 1);

        // The new row of S: only it changes when a frame arrives (reference note 5). Row `slot` holds S[newest, j] at column j % W.
        var newRow = _gram.AsSpan(slot * _window, _window);
        var newEmbedding = _rows[slot];
        double newRowSum = 0;
        for (var j = low; j <= newest; j++)
        {
            var value = TensorPrimitives.Dot(newEmbedding, _rows[j % _window]);
            newRow[j % _window] = value;
            newRowSum += value;
            if (j < newest)
            {
                _rowSums[j % _window] += value;
            }
        }

        _rowSums[slot] = newRowSum;
        FrameCount = newest + 1;
        if (newest >= _window && newest % _window == _window - 1)
        {
            RecomputeRowSums(low, newest);
        }

        if (newest == 0)
        {
            return [];
        }

        var firstBoundary = Math.Max(low, newest - _scores.Length);
        var scores = _scores.AsSpan(0, newest - firstBoundary);
        var changes = _changes.AsSpan(0, scores.Length);
        _scorer.Score(new RingWindow(this, low, newest), firstBoundary, scores, changes);
        _events.Clear();
        _decider.OnFrame(newest, firstBoundary, scores, changes, _events);
        return _events.Count == 0 ? [] : _events.ToArray();
    }

    /// <summary>Ends the stream: decides the cuts still inside the lookahead and returns their events. Idempotent.</summary>
    public IReadOnlyList<SceneCutEvent> Complete()
    {
        var events = new List<SceneCutEvent>();
        if (!_completed && FrameCount > 1)
        {
            _decider.Complete(events);
        }

        _completed = true;
        return events;
    }

    /// <summary>The cuts and scenes so far; after <see cref="Complete"/>, the detector's result for the whole stream.</summary>
    public SceneDetectionResult ToResult() => SceneDetectionResult.FromCuts(FrameCount, _options.FramesPerSecond, _decider.Cuts);

    private float Gram(int a, int b) => a >= b ? _gram[((a % _window) * _window) + (b % _window)] : _gram[((b % _window) * _window) + (a % _window)];

    private void Evict(int leaving)
    {
        for (var k = leaving + 1; k < leaving + _window; k++)
        {
            _rowSums[k % _window] -= Gram(k, leaving);
        }
    }

    /// <summary>Sums rows afresh every W frames so that add/subtract rounding cannot drift over a long stream.</summary>
    private void RecomputeRowSums(int low, int high)
    {
        for (var k = low; k <= high; k++)
        {
            double sum = 0;
            for (var j = low; j <= high; j++)
            {
                sum += Gram(k, j);
            }

            _rowSums[k % _window] = sum;
        }
    }

    private readonly struct RingWindow(IncrementalSceneDetector detector, int low, int high) : IGramWindow
    {
        public int Low => low;

        public int High => high;

        public float Gram(int a, int b) => detector.Gram(a, b);

        public double RowSum(int k) => detector._rowSums[k % detector._window];
    }
}
