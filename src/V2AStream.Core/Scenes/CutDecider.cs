namespace V2AStream.Core.Scenes;

/// <summary>
/// The robust detector's decisions, fed one frame at a time with the scores of the newest boundaries computed on the
/// current window. Boundary b (between frames b and b+1) is decided when frame b+1+lookahead arrives (or at the end):
/// it is a cut when its absolute change (see <see cref="WindowScorer"/>) exceeds the minimum relative change, so that a
/// still picture's flicker is never a cut however it compares with the window, and its score exceeds median + tau * 1.4826 * MAD of the recent quiet scores (the last W boundaries
/// with no score above the floor within +-lookahead), clamped to [floor, 2 floor] (2 floor for the first 8 boundaries,
/// the floor while fewer than 8 quiet scores are known),
/// it is the largest score within +-lookahead boundaries (earlier one wins a tie), and the scene it closes is at least
/// the minimum length. Shared by the offline and incremental forms so that only the scores can differ between them.
/// </summary>
internal sealed class CutDecider
{
    private const int MinimumHistory = 8;

    /// <summary>
    /// The relative threshold never exceeds this many floors, so a clean cut passes even where the quiet history is
    /// bimodal (a still scene after a busy one inflates the MAD). A clean cut scores about 2, diluted towards 2/(K-1)
    /// by K shots in the window (<see cref="WindowScorer"/>): with the 8 s default window and the 1 s minimum scene,
    /// three or four shots in one window are common, which puts a clean cut at 0.7 to 1. Two floors (0.7 at the
    /// default floor of 0.35) is the highest ceiling that still lets such a cut through.
    /// </summary>
    private const double CeilingInFloors = 2;

    private readonly int _lookahead;
    private readonly int _minSceneFrames;
    private readonly double _tau;
    private readonly double _floor;
    private readonly double _minimumChange;
    private readonly double _framesPerSecond;
    private readonly double[] _history;
    private readonly double[] _historyScratch;
    private readonly double[] _scores;
    private readonly double[] _changes;
    private readonly List<SceneCut> _cuts = [];
    private readonly List<int> _provisionalFrames = [];
    private readonly Queue<(int Boundary, double Score)> _recent = new();
    private readonly Action<BoundaryScore>? _onBoundary;
    private int _historyCount;
    private int _historyNext;
    private int _firstBoundary;
    private int _boundaryCount;
    private int _decidedThrough = -1;
    private int _sceneStart;

    /// <param name="onBoundary">Told of every decided boundary, in order (for exporting scores); may be null.</param>
    public CutDecider(SceneDetectorOptions options, Action<BoundaryScore>? onBoundary = null)
    {
        _onBoundary = onBoundary;
        _lookahead = options.LookaheadFrames;
        _minSceneFrames = options.MinSceneFrames;
        _tau = options.Tau;
        _floor = options.ScoreFloor;
        _minimumChange = options.MinRelativeChange;
        _framesPerSecond = options.FramesPerSecond;
        _history = new double[options.WindowFrames];
        _historyScratch = new double[options.WindowFrames];
        _scores = new double[(2 * _lookahead) + 1];
        _changes = new double[_scores.Length];
    }

    /// <summary>How many boundaries before the newest one the caller must score: the newest 2 x lookahead + 1.</summary>
    public int ScoredBoundaries => _scores.Length;

    public IReadOnlyList<SceneCut> Cuts => _cuts;

    /// <summary>
    /// Takes the scores and absolute changes of boundaries firstBoundary..newestFrame-1 on the window ending at
    /// <paramref name="newestFrame"/> and decides what the lookahead allows.
    /// </summary>
    public void OnFrame(int newestFrame, int firstBoundary, ReadOnlySpan<double> scores, ReadOnlySpan<double> changes, List<SceneCutEvent>? events)
    {
        scores.CopyTo(_scores);
        changes.CopyTo(_changes);
        _firstBoundary = firstBoundary;
        _boundaryCount = scores.Length;
        var newestBoundary = newestFrame - 1;
        var decided = newestBoundary - _lookahead;
        if (decided >= 0)
        {
            Decide(decided, newestBoundary, events);
        }

        if (_lookahead > 0 && newestBoundary >= 0)
        {
            ConsiderProvisional(newestBoundary, events);
        }
    }

    /// <summary>Decides the boundaries still inside the lookahead with the last window's scores (end of stream).</summary>
    public void Complete(List<SceneCutEvent>? events)
    {
        var lastBoundary = _firstBoundary + _boundaryCount - 1;
        for (var b = _decidedThrough + 1; b <= lastBoundary; b++)
        {
            Decide(b, lastBoundary, events);
        }
    }

    private double ScoreOf(int boundary) => _scores[boundary - _firstBoundary];

    private bool ChangesEnough(int boundary) => _changes[boundary - _firstBoundary] > _minimumChange;

    private void Decide(int boundary, int lastKnownBoundary, List<SceneCutEvent>? events)
    {
        var score = ScoreOf(boundary);
        var threshold = Threshold();
        var isCut = score > threshold && ChangesEnough(boundary) && boundary + 1 - _sceneStart >= _minSceneFrames && IsLocalMaximum(boundary, lastKnownBoundary);
        _decidedThrough = boundary;
        var frame = boundary + 1;
        var cut = new SceneCut(frame, frame / _framesPerSecond, score);
        _onBoundary?.Invoke(new BoundaryScore(frame, cut.TimeSeconds, score, threshold, _floor, _changes[boundary - _firstBoundary], _minimumChange, isCut));
        if (isCut)
        {
            _cuts.Add(cut);
            _sceneStart = frame;
        }

        // The threshold's statistics describe quiet stretches: a boundary enters the history only when no score within
        // +-lookahead of it (itself included) exceeds the floor. Cuts and the ramps the block means put around them, even
        // undetected ones, would otherwise inflate the MAD where cuts are frequent (reference flaw 3). Boundary b - L is
        // settled once b is decided.
        _recent.Enqueue((boundary, score));
        var settled = boundary - _lookahead;
        while (_recent.Count > 0 && _recent.Peek().Boundary < settled - _lookahead)
        {
            _recent.Dequeue();
        }

        if (settled >= 0 && IsQuiet())
        {
            AddToHistory(ScoreOfRecent(settled));
        }

        var provisionalIndex = _provisionalFrames.IndexOf(frame);
        if (provisionalIndex >= 0)
        {
            _provisionalFrames.RemoveAt(provisionalIndex);
            if (!isCut)
            {
                events?.Add(new SceneCutEvent(SceneCutEventKind.Withdrawn, cut));
            }
        }

        if (isCut)
        {
            events?.Add(new SceneCutEvent(SceneCutEventKind.Final, cut));
        }
    }

    private void ConsiderProvisional(int boundary, List<SceneCutEvent>? events)
    {
        var score = ScoreOf(boundary);
        if (score > Threshold() && ChangesEnough(boundary) && boundary + 1 - _sceneStart >= _minSceneFrames && IsLocalMaximum(boundary, boundary))
        {
            var frame = boundary + 1;
            _provisionalFrames.Add(frame);
            events?.Add(new SceneCutEvent(SceneCutEventKind.Provisional, new SceneCut(frame, frame / _framesPerSecond, score)));
        }
    }

    private bool IsQuiet()
    {
        foreach (var entry in _recent)
        {
            if (entry.Score > _floor)
            {
                return false;
            }
        }

        return true;
    }

    private double ScoreOfRecent(int boundary)
    {
        foreach (var entry in _recent)
        {
            if (entry.Boundary == boundary)
            {
                return entry.Score;
            }
        }

        throw new InvalidOperationException($"boundary {boundary} is no longer in the recent scores");
    }

    private bool IsLocalMaximum(int boundary, int lastKnownBoundary)
    {
        var score = ScoreOf(boundary);
        var from = Math.Max(_firstBoundary, boundary - _lookahead);
        var to = Math.Min(lastKnownBoundary, boundary + _lookahead);
        for (var other = from; other <= to; other++)
        {
            var otherScore = ScoreOf(other);
            if ((other < boundary && otherScore >= score) || (other > boundary && otherScore > score))
            {
                return false;
            }
        }

        return true;
    }

    private double Threshold()
    {
        // A median and MAD of a handful of start-of-stream scores are noise themselves, and so are scores on a window of
        // a few frames: until there are enough, only a cut as strong as the ceiling passes.
        if (_decidedThrough + 1 < MinimumHistory)
        {
            return CeilingInFloors * _floor;
        }

        if (_historyCount < MinimumHistory)
        {
            return _floor;
        }

        var scratch = _historyScratch.AsSpan(0, _historyCount);
        _history.AsSpan(0, _historyCount).CopyTo(scratch);
        var (median, mad) = RobustStatistics.MedianAndMad(scratch);
        return Math.Clamp(median + (_tau * RobustStatistics.MadToSigma * mad), _floor, CeilingInFloors * _floor);
    }

    private void AddToHistory(double score)
    {
        _history[_historyNext] = score;
        _historyNext = (_historyNext + 1) % _history.Length;
        _historyCount = Math.Min(_historyCount + 1, _history.Length);
    }
}
