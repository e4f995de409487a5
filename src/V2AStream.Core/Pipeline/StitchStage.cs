using System.Diagnostics;
using System.Threading.Channels;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// Awaits generated blocks in plan order, crossfades them with the <see cref="AudioStitcher"/>, and cuts
/// the final audio into chunks of <see cref="PipelineOptions.ChunkMilliseconds"/> (the last one shorter).
/// </summary>
internal sealed class StitchStage
{
    private readonly AudioStitcher _stitcher;
    private readonly FrameArrivals _arrivals;
    private readonly double _sampleFps;
    private readonly int _chunkSamples;
    private readonly IPipelineMetrics _metrics;
    private readonly LiveOutputPacer? _pacer;
    private readonly TimeProvider _time;
    private readonly List<float> _pendingChunk = [];
    private readonly Queue<(long Start, int Scene)> _blockStarts = new();
    private long _sequence;
    private long _chunkStart;

    /// <param name="pacer">Holds back the chunks a player's clock starts from (LIVE); null sends each chunk as soon as it is ready.</param>
    public StitchStage(PipelineOptions options, FrameArrivals arrivals, int sampleRate, IPipelineMetrics metrics, LiveOutputPacer? pacer, TimeProvider time)
    {
        _metrics = metrics;
        _pacer = pacer;
        _time = time;
        _stitcher = new AudioStitcher(new StitcherOptions { SampleRate = sampleRate, CutCrossfadeMilliseconds = options.CutCrossfadeMilliseconds });
        _arrivals = arrivals;
        _sampleFps = options.SampleFps;
        _chunkSamples = Math.Max(1, BlockTiming.MillisecondsToSamples(options.ChunkMilliseconds, sampleRate));
    }

    public long SamplesOut { get; private set; }

    public int SampleRate => _stitcher.SampleRate;

    public async Task RunAsync(ChannelReader<Task<GeneratedItem>> input, ChannelWriter<PipelineEvent> events, CancellationToken cancellationToken)
    {
        await foreach (var pending in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            // A stopped stream does not wait for its block: the generation lane cancels and awaits the run when the stream ends.
            var generated = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            switch (generated.Item)
            {
                case PlanItem.Generate job:
                    _blockStarts.Enqueue((job.Block.StartSample, job.Block.SceneIndex));
                    _stitcher.Push(job.Block.SceneIndex, job.Block.StartSample, generated.Samples, generated.ContinuesPrevious);
                    break;
                case PlanItem.Advance advance:
                    _stitcher.AdvanceTo(advance.Sample);
                    break;
                case PlanItem.End end:
                    _stitcher.Complete(end.TotalSamples);
                    break;
            }

            _metrics.OnStageWork("stitch", Stopwatch.GetElapsedTime(started));
            await EmitAsync(events, flush: generated.Item is PlanItem.End, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EmitAsync(ChannelWriter<PipelineEvent> events, bool flush, CancellationToken cancellationToken)
    {
        var ready = _stitcher.ReadAvailable();
        _pendingChunk.AddRange(ready);
        while (_pendingChunk.Count >= _chunkSamples || (flush && _pendingChunk.Count > 0))
        {
            var length = Math.Min(_chunkSamples, _pendingChunk.Count);
            var samples = _pendingChunk.GetRange(0, length).ToArray();
            _pendingChunk.RemoveRange(0, length);
            var endSample = _chunkStart + length;
            var endFrame = (long)Math.Ceiling(endSample * _sampleFps / _stitcher.SampleRate) - 1;
            if (_pacer?.HoldFor(_chunkStart, endSample) is { } hold && hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, _time, cancellationToken).ConfigureAwait(false);
            }

            await events.WriteAsync(new AudioChunkReady(_sequence++, _chunkStart, samples, _stitcher.SampleRate, SceneAt(_chunkStart), _arrivals.ArrivalOf(endFrame)), cancellationToken).ConfigureAwait(false);
            _chunkStart = endSample;
            SamplesOut = endSample;
        }
    }

    /// <summary>The scene sounding at <paramref name="sample"/>: that of the last block starting at or before it.</summary>
    private int SceneAt(long sample)
    {
        while (_blockStarts.Count > 1 && _blockStarts.ElementAt(1).Start <= sample)
        {
            _blockStarts.Dequeue();
        }

        return _blockStarts.TryPeek(out var block) ? block.Scene : 0;
    }
}
