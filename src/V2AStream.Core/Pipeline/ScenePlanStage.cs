using System.Diagnostics;
using System.Numerics.Tensors;
using System.Threading.Channels;
using V2AStream.Core.Embedding;
using V2AStream.Core.Mapping;
using V2AStream.Core.Scenes;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// The detect and plan stages in one loop (the detector costs microseconds per frame): feeds embeddings
/// to the incremental scene detector, turns final cuts into scenes, asks the <see cref="BlockPlanner"/>
/// which blocks to generate as the decided horizon moves, and gives each block its condition,
/// mapper(mean of the scene's frame embeddings), chosen per <see cref="GenerationMode"/>.
/// </summary>
internal sealed class ScenePlanStage
{
    private readonly IncrementalSceneDetector _detector;

    // The detector decides the cut at frame f - lookahead when frame f arrives: frames before that are settled.
    private readonly int _lookaheadFrames;
    private readonly IConditionMapper _mapper;
    private readonly PipelineOptions _options;
    private readonly int _sampleRate;
    private readonly IPipelineMetrics _metrics;
    private readonly BlockPlanner _planner;
    private readonly Queue<SceneCut> _finalCuts = new();
    private readonly List<FrameEmbedding> _frames = [];
    private readonly Queue<PlannedBlock> _pending = new();
    private readonly Queue<long> _cutSamples = new();
    private double[]? _sceneSum;
    private int _sceneDecidedCount;
    private int _sceneIndex;
    private int _sceneStartFrame;
    private double _sceneScore;
    private int _decidedFrames;
    private int _seenFrames;
    private long _blocksPlanned;

    public ScenePlanStage(IncrementalSceneDetector detector, int lookaheadFrames, IConditionMapper mapper, PipelineOptions options, int sampleRate, IPipelineMetrics metrics)
    {
        _metrics = metrics;
        _detector = detector;
        _lookaheadFrames = lookaheadFrames;
        _mapper = mapper;
        _options = options;
        _sampleRate = sampleRate;
        _planner = new BlockPlanner(options.BlockMultiple);
    }

    /// <summary>Scenes decided so far (the open one included once the stream ends).</summary>
    public int SceneCount => _sceneIndex + 1;

    public async Task RunAsync(ChannelReader<FrameEmbedding> input, ChannelWriter<PlanItem> plan, ChannelWriter<PipelineEvent> events, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var frame in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _sceneSum ??= new double[frame.Vector.Length];
                _frames.Add(frame);
                _seenFrames = frame.Index + 1;
                var started = Stopwatch.GetTimestamp();
                Collect(_detector.Push(frame.Vector));
                _metrics.OnStageWork("plan", Stopwatch.GetElapsedTime(started));
                await AdvanceAsync(Math.Max(0, _detector.FrameCount - _lookaheadFrames), endOfMedia: false, plan, events, cancellationToken).ConfigureAwait(false);
            }

            Collect(_detector.Complete());
            await AdvanceAsync(_seenFrames, endOfMedia: true, plan, events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            plan.TryComplete(failure);
        }
    }

    private void Collect(IReadOnlyList<SceneCutEvent> cutEvents)
    {
        foreach (var cutEvent in cutEvents)
        {
            if (cutEvent.Kind == SceneCutEventKind.Final)
            {
                _finalCuts.Enqueue(cutEvent.Cut);
            }
        }
    }

    /// <summary>Frames before <paramref name="horizon"/> are decided: no cut can appear before it any more.</summary>
    private async ValueTask AdvanceAsync(int horizon, bool endOfMedia, ChannelWriter<PlanItem> plan, ChannelWriter<PipelineEvent> events, CancellationToken cancellationToken)
    {
        for (; _decidedFrames < horizon; _decidedFrames++)
        {
            if (_finalCuts.TryPeek(out var cut) && cut.Frame == _decidedFrames)
            {
                _finalCuts.Dequeue();
                await events.WriteAsync(CloseScene(cut.Frame), cancellationToken).ConfigureAwait(false);
                _sceneIndex++;
                _sceneStartFrame = cut.Frame;
                _sceneScore = cut.Score;
                Array.Clear(_sceneSum!);
                _sceneDecidedCount = 0;
                var cutSample = FrameToSample(cut.Frame);
                _planner.AddCut(cutSample);
                _cutSamples.Enqueue(cutSample);
            }

            var vector = FrameAt(_decidedFrames).Vector;
            for (var d = 0; d < vector.Length; d++)
            {
                _sceneSum![d] += vector[d];
            }

            _sceneDecidedCount++;
        }

        var horizonSample = FrameToSample(horizon);
        var totalSamples = horizonSample;
        var newBlocks = endOfMedia ? _planner.Complete(totalSamples) : _planner.PlanUntil(horizonSample);
        foreach (var block in newBlocks)
        {
            _pending.Enqueue(block);
        }

        while (_pending.TryPeek(out var block) && TryCondition(block, horizonSample, endOfMedia, out var condition))
        {
            _pending.Dequeue();
            await plan.WriteAsync(new PlanItem.Generate(block, _mapper.Map(condition).Condition, BlockSeed(block)), cancellationToken).ConfigureAwait(false);
            _blocksPlanned++;
        }

        if (endOfMedia)
        {
            if (_seenFrames > 0)
            {
                await events.WriteAsync(CloseScene(_seenFrames), cancellationToken).ConfigureAwait(false);
            }

            await plan.WriteAsync(new PlanItem.End(totalSamples), cancellationToken).ConfigureAwait(false);
            return;
        }

        // Audio before the first block still waiting for its condition may change no more than audio before the horizon.
        var releasable = _pending.TryPeek(out var waiting) ? Math.Min(horizonSample, waiting.StartSample) : horizonSample;
        if (_blocksPlanned > 0)
        {
            await plan.WriteAsync(new PlanItem.Advance(releasable), cancellationToken).ConfigureAwait(false);
        }

        if (_seenFrames % Math.Max(1, (int)Math.Round(_options.SampleFps)) == 0)
        {
            await events.WriteAsync(new PipelineProgress(_seenFrames, _seenFrames / _options.SampleFps, _blocksPlanned, 0), cancellationToken).ConfigureAwait(false);
        }

        DropFramesBefore(Math.Min(_decidedFrames, _pending.TryPeek(out var head) ? SampleToFrame(head.StartSample) : _decidedFrames));
    }

    /// <summary>
    /// The mean embedding that conditions <paramref name="block"/>, once it can be known. QUALITY: the scene's
    /// frames inside the block, ready when the horizon passes the block's end (or a cut or the end of media
    /// trims it). LIVE: the scene's frames seen so far, ready at once (the planner hands out a block only
    /// after the lookahead has passed its start).
    /// </summary>
    private bool TryCondition(PlannedBlock block, long horizonSample, bool endOfMedia, out float[] condition)
    {
        condition = [];
        var sceneStartSample = FrameToSample(_sceneStartFrame);
        var blockIsInOpenScene = block.StartSample >= sceneStartSample;
        if (_options.Mode == GenerationMode.Live && blockIsInOpenScene)
        {
            condition = SceneMean(includeUndecided: true);
            return condition.Length > 0;
        }

        var end = block.StartSample + block.NominalSamples;
        while (_cutSamples.TryPeek(out var cut) && cut <= block.StartSample)
        {
            _cutSamples.Dequeue();
        }

        if (_cutSamples.TryPeek(out var nextCut) && nextCut < end)
        {
            end = nextCut;
        }
        else if (!endOfMedia && horizonSample < end)
        {
            return false;
        }

        var first = SampleToFrame(block.StartSample);
        var last = Math.Max(first, Math.Min(SampleToFrameCeiling(end), _seenFrames) - 1);
        condition = MeanOfFrames(first, last);
        return true;
    }

    /// <summary>The open scene's mean embedding over its decided frames, and with <paramref name="includeUndecided"/>
    /// also the frames seen past the horizon (LIVE: the minimum scene length keeps a new cut from landing among them).</summary>
    private float[] SceneMean(bool includeUndecided)
    {
        var sum = (double[])_sceneSum!.Clone();
        var count = _sceneDecidedCount;
        foreach (var frame in includeUndecided ? _frames : [])
        {
            if (frame.Index >= Math.Max(_decidedFrames, _sceneStartFrame))
            {
                for (var d = 0; d < sum.Length; d++)
                {
                    sum[d] += frame.Vector[d];
                }

                count++;
            }
        }

        return count == 0 ? [] : sum.Select(v => (float)(v / count)).ToArray();
    }

    private float[] MeanOfFrames(int first, int last)
    {
        var dim = _sceneSum!.Length;
        var mean = new float[dim];
        var count = 0;
        for (var index = first; index <= last && index < _seenFrames; index++)
        {
            TensorPrimitives.Add(mean, FrameAt(index).Vector, mean);
            count++;
        }

        TensorPrimitives.Divide(mean, Math.Max(1, count), mean);
        return mean;
    }

    private SceneUpdate CloseScene(int endFrameExclusive) =>
        new(_sceneIndex, _sceneStartFrame, endFrameExclusive, _sceneStartFrame / _options.SampleFps, endFrameExclusive / _options.SampleFps, _sceneScore, Labels(SceneMean(includeUndecided: false)));

    private string[] Labels(float[] sceneMean) =>
        sceneMean.Length == 0 ? [] : _mapper.Map(sceneMean).Labels.Take(3).Select(l => l.Label).ToArray();

    private FrameEmbedding FrameAt(int index) => _frames[index - _frames[0].Index];

    private void DropFramesBefore(int index)
    {
        var drop = 0;
        while (drop < _frames.Count && _frames[drop].Index < index)
        {
            drop++;
        }

        _frames.RemoveRange(0, drop);
    }

    /// <summary>Deterministic per block, whatever the chunking or timing: a SplitMix64 step over (seed, scene, start).</summary>
    private long BlockSeed(PlannedBlock block)
    {
        var x = unchecked((ulong)_options.Seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)block.SceneIndex << 40) ^ (ulong)block.StartSample;
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return (long)((x ^ (x >> 31)) & 0x7FFFFFFFFFFFFFFFUL);
    }

    private long FrameToSample(int frame) => BlockTiming.ToSamples(frame / _options.SampleFps, _sampleRate);

    private int SampleToFrame(long sample) => (int)Math.Floor(sample * _options.SampleFps / _sampleRate);

    private int SampleToFrameCeiling(long sample) => (int)Math.Ceiling(sample * _options.SampleFps / _sampleRate);
}
