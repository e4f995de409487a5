using System.Diagnostics;
using System.Threading.Channels;
using V2AStream.Core.Embedding;
using V2AStream.Core.Mapping;
using V2AStream.Core.Scenes;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// The detect and plan stages in one loop (the detector costs microseconds per frame): feeds embeddings to the
/// <see cref="SceneTracker"/> (the streaming detector and the scenes it decides), asks the <see cref="BlockPlanner"/>
/// which blocks to generate as the decided horizon moves, and gives each block its condition, mapper(mean of the
/// scene's frame embeddings), chosen per <see cref="GenerationMode"/>. In both modes the mean is a running one, over the
/// scene's frames from its start, so a scene's condition settles as it goes instead of jumping from block to block.
/// </summary>
internal sealed class ScenePlanStage
{
    private readonly SceneTracker _scenes;
    private readonly IConditionMapper _mapper;
    private readonly PipelineOptions _options;
    private readonly int _sampleRate;
    private readonly IPipelineMetrics _metrics;
    private readonly BlockPlanner _planner;
    private readonly Queue<PlannedBlock> _pending = new();
    private readonly Queue<long> _cutSamples = new();
    private long _blocksPlanned;
    private int _runningScene = -1;
    private double[] _runningSum = [];
    private int _runningCount;

    public ScenePlanStage(SceneTracker scenes, IConditionMapper mapper, PipelineOptions options, int sampleRate, IPipelineMetrics metrics)
    {
        _metrics = metrics;
        _scenes = scenes;
        _mapper = mapper;
        _options = options;
        _sampleRate = sampleRate;
        _planner = new BlockPlanner(options.BlockMultiple);
    }

    /// <summary>Scenes decided so far (the open one included once the stream ends).</summary>
    public int SceneCount => _scenes.SceneCount;

    public async Task RunAsync(ChannelReader<FrameEmbedding> input, ChannelWriter<PlanItem> plan, ChannelWriter<PipelineEvent> events, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var frame in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                var closed = _scenes.Push(frame.Vector);
                _metrics.OnStageWork("plan", Stopwatch.GetElapsedTime(started));
                await AdvanceAsync(closed, endOfMedia: false, plan, events, cancellationToken).ConfigureAwait(false);
            }

            await AdvanceAsync(_scenes.Complete(), endOfMedia: true, plan, events, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The tracker's horizon has moved (frames before it are decided: no cut can appear before it any more) and closed
    /// <paramref name="closed"/>; at the end of media the last of them is the final scene.
    /// </summary>
    private async ValueTask AdvanceAsync(IReadOnlyList<TrackedScene> closed, bool endOfMedia, ChannelWriter<PlanItem> plan, ChannelWriter<PipelineEvent> events, CancellationToken cancellationToken)
    {
        var cutScenes = endOfMedia && closed.Count > 0 ? closed.Take(closed.Count - 1) : closed;
        foreach (var scene in cutScenes)
        {
            await events.WriteAsync(ToUpdate(scene), cancellationToken).ConfigureAwait(false);
            var cutSample = FrameToSample(scene.EndFrameExclusive);
            _planner.AddCut(cutSample);
            _cutSamples.Enqueue(cutSample);
        }

        var horizon = _scenes.DecidedFrames;
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
            if (closed.Count > 0)
            {
                await events.WriteAsync(ToUpdate(closed[^1]), cancellationToken).ConfigureAwait(false);
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

        var seen = _scenes.SeenFrames;
        if (seen % Math.Max(1, (int)Math.Round(_options.SampleFps)) == 0)
        {
            await events.WriteAsync(new PipelineProgress(seen, seen / _options.SampleFps, _blocksPlanned, 0), cancellationToken).ConfigureAwait(false);
        }

        _scenes.ReleaseFramesBefore(_pending.TryPeek(out var head) ? SampleToFrame(head.StartSample) : horizon);
    }

    /// <summary>
    /// The mean embedding that conditions <paramref name="block"/>, once it can be known. QUALITY: the scene's
    /// frames from its start to the block's end, ready when the horizon passes the block's end (or a cut or the end of
    /// media trims it). LIVE: the scene's frames seen so far, ready at once (the planner hands out a block only
    /// after the lookahead has passed its start).
    /// </summary>
    private bool TryCondition(PlannedBlock block, long horizonSample, bool endOfMedia, out float[] condition)
    {
        condition = [];
        var sceneStartSample = FrameToSample(_scenes.SceneStartFrame);
        var blockIsInOpenScene = block.StartSample >= sceneStartSample;
        if (_options.Mode == GenerationMode.Live && blockIsInOpenScene)
        {
            condition = _scenes.OpenSceneMean(includeUndecided: true);
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
        var last = Math.Max(first, Math.Min(SampleToFrameCeiling(end), _scenes.SeenFrames) - 1);
        condition = RunningSceneMean(block.SceneIndex, _scenes.MeanOfFrames(first, last), Math.Max(0, Math.Min(last, _scenes.SeenFrames - 1) - first + 1));
        return true;
    }

    /// <summary>
    /// Adds a block's frames (their mean and count) to its scene's running sum and returns the mean of the scene so far:
    /// the blocks of a scene come in order and cover it without overlap, so this is the mean from the scene's start.
    /// </summary>
    private float[] RunningSceneMean(int sceneIndex, float[] blockMean, int blockFrames)
    {
        if (sceneIndex != _runningScene || _runningSum.Length != blockMean.Length)
        {
            _runningScene = sceneIndex;
            _runningSum = new double[blockMean.Length];
            _runningCount = 0;
        }

        for (var d = 0; d < blockMean.Length; d++)
        {
            _runningSum[d] += (double)blockMean[d] * blockFrames;
        }

        _runningCount += blockFrames;
        return _runningCount == 0 ? blockMean : _runningSum.Select(v => (float)(v / _runningCount)).ToArray();
    }

    private SceneUpdate ToUpdate(TrackedScene scene) =>
        new(scene.Index, scene.StartFrame, scene.EndFrameExclusive, scene.StartSeconds, scene.EndSeconds, scene.Score, Labels(scene.Mean));

    private string[] Labels(float[] sceneMean) =>
        sceneMean.Length == 0 ? [] : _mapper.Map(sceneMean).Labels.Take(3).Select(l => l.Label).ToArray();

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
