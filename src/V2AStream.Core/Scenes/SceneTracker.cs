using System.Numerics.Tensors;

namespace V2AStream.Core.Scenes;

/// <summary>
/// Scenes from a stream of frame embeddings: feeds an <see cref="IStreamingSceneDetector"/>, moves the decided horizon
/// as its lookahead allows (every frame before <see cref="DecidedFrames"/> is decided: no cut can come before it any
/// more), opens and closes scenes at the final cuts, and keeps the open scene's running sum, so its mean is at hand at
/// any moment. Frames are kept until released (<see cref="ReleaseFramesBefore"/>), for means over any range of them.
/// The one owner of scene bookkeeping for the pipeline and the daemon's scenes-only call. Not thread-safe.
/// </summary>
public sealed class SceneTracker
{
    private readonly IStreamingSceneDetector _detector;
    private readonly double _framesPerSecond;
    private readonly Queue<SceneCut> _finalCuts = new();
    private readonly List<float[]> _frames = [];
    private double[]? _sceneSum;
    private int _sceneDecidedCount;
    private int _firstKeptFrame;
    private double _sceneStartScore;
    private bool _completed;

    /// <param name="framesPerSecond">The rate the frames were sampled at: frame k sits at k / fps seconds.</param>
    public SceneTracker(IStreamingSceneDetector detector, double framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        _detector = detector;
        _framesPerSecond = framesPerSecond;
    }

    /// <summary>The open scene's index (0 for the first).</summary>
    public int SceneIndex { get; private set; }

    public int SceneStartFrame { get; private set; }

    /// <summary>Scenes so far, the open one included.</summary>
    public int SceneCount => SceneIndex + 1;

    /// <summary>Frames before this one are decided.</summary>
    public int DecidedFrames { get; private set; }

    /// <summary>Frames pushed so far.</summary>
    public int SeenFrames => _firstKeptFrame + _frames.Count;

    /// <summary>Frame k's media time.</summary>
    public double SecondsOf(int frame) => frame / _framesPerSecond;

    /// <summary>
    /// Adds the next frame's embedding (kept by reference: do not change it) and returns the scenes that closed as the
    /// decided horizon moved, in order.
    /// </summary>
    public IReadOnlyList<TrackedScene> Push(float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (_completed)
        {
            throw new SceneDetectionException(SceneDetectionError.InvalidState, "Push after Complete: track a new stream with a new tracker.");
        }

        _sceneSum ??= new double[embedding.Length];
        _frames.Add(embedding);
        Collect(_detector.Push(embedding));
        return Advance(Math.Max(0, _detector.FrameCount - _detector.LookaheadFrames));
    }

    /// <summary>Ends the stream: every frame is decided; returns the scenes that closed, the last (open) one included. Idempotent.</summary>
    public IReadOnlyList<TrackedScene> Complete()
    {
        if (_completed)
        {
            return [];
        }

        _completed = true;
        Collect(_detector.Complete());
        var closed = Advance(SeenFrames);
        if (SeenFrames > 0)
        {
            closed.Add(CloseOpenScene(SeenFrames));
        }

        return closed;
    }

    /// <summary>
    /// The open scene's mean embedding over its decided frames, and with <paramref name="includeUndecided"/> also over
    /// the frames seen past the horizon (the minimum scene length keeps a new cut from landing among them); empty
    /// before any frame.
    /// </summary>
    public float[] OpenSceneMean(bool includeUndecided)
    {
        if (_sceneSum is null)
        {
            return [];
        }

        var sum = (double[])_sceneSum.Clone();
        var count = _sceneDecidedCount;
        if (includeUndecided)
        {
            for (var index = Math.Max(DecidedFrames, SceneStartFrame); index < SeenFrames; index++)
            {
                Add(sum, FrameAt(index));
                count++;
            }
        }

        return count == 0 ? [] : sum.Select(v => (float)(v / count)).ToArray();
    }

    /// <summary>The mean embedding of frames <paramref name="first"/>..<paramref name="last"/> (inclusive; those seen), which must not have been released.</summary>
    public float[] MeanOfFrames(int first, int last)
    {
        var mean = new float[_sceneSum?.Length ?? 0];
        var count = 0;
        for (var index = first; index <= last && index < SeenFrames; index++)
        {
            TensorPrimitives.Add(mean, FrameAt(index), mean);
            count++;
        }

        TensorPrimitives.Divide(mean, Math.Max(1, count), mean);
        return mean;
    }

    /// <summary>Lets go of frames before <paramref name="index"/> (never of undecided ones).</summary>
    public void ReleaseFramesBefore(int index)
    {
        var drop = Math.Clamp(Math.Min(index, DecidedFrames) - _firstKeptFrame, 0, _frames.Count);
        _frames.RemoveRange(0, drop);
        _firstKeptFrame += drop;
    }

    private void Collect(IReadOnlyList<SceneCutEvent> events)
    {
        foreach (var cutEvent in events)
        {
            if (cutEvent.Kind == SceneCutEventKind.Final)
            {
                _finalCuts.Enqueue(cutEvent.Cut);
            }
        }
    }

    private List<TrackedScene> Advance(int horizon)
    {
        var closed = new List<TrackedScene>();
        for (; DecidedFrames < horizon; DecidedFrames++)
        {
            if (_finalCuts.TryPeek(out var cut) && cut.Frame == DecidedFrames)
            {
                _finalCuts.Dequeue();
                closed.Add(CloseOpenScene(cut.Frame));
                SceneIndex++;
                SceneStartFrame = cut.Frame;
                _sceneStartScore = cut.Score;
                Array.Clear(_sceneSum!);
                _sceneDecidedCount = 0;
            }

            Add(_sceneSum!, FrameAt(DecidedFrames));
            _sceneDecidedCount++;
        }

        return closed;
    }

    private TrackedScene CloseOpenScene(int endFrameExclusive) =>
        new(SceneIndex, SceneStartFrame, endFrameExclusive, SecondsOf(SceneStartFrame), SecondsOf(endFrameExclusive), _sceneStartScore, OpenSceneMean(includeUndecided: false));

    private float[] FrameAt(int index) => _frames[index - _firstKeptFrame];

    private static void Add(double[] sum, float[] vector)
    {
        for (var d = 0; d < sum.Length; d++)
        {
            sum[d] += vector[d];
        }
    }
}
