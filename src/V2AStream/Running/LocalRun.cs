using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Daemon;
using Microsoft.Extensions.Logging;

namespace V2AStream.Running;

/// <summary>
/// Runs one stream through the pipeline in this process (no daemon) into an <see cref="AudioSink"/>, in the format the
/// daemon would send (the same <see cref="AudioEncoder"/>: resampled, channels, exactly round(duration x rate)
/// samples). The sink is completed only when the stream ended well; what happens to its audio on failure or
/// cancellation is the caller's choice.
/// </summary>
internal sealed class LocalRun(LoadedModelSet set, PipelineOptions options, SceneDetectorOptions detectorOptions, ILoggerFactory loggerFactory, TimeProvider time)
{
    /// <summary>Called with each event as it arrives (progress display, scene printing).</summary>
    public Action<PipelineEvent>? OnEvent { get; init; }

    public async Task<LocalRunResult> RunAsync(MediaSource source, AudioSink sink, AudioOutputFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var pipeline = new StreamPipeline(set, options, detectorOptions, loggerFactory: loggerFactory, time: time);
        var encoder = new AudioEncoder(format, set.Generator.SampleRate);
        var scenes = new List<SceneUpdate>();
        var latency = new LatencyStatistics();
        var started = time.GetTimestamp();
        TimeSpan? firstAudio = null;
        PipelineSummary? summary = null;
        var lastScene = 0;
        await foreach (var item in pipeline.RunAsync(source, cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case AudioChunkReady chunk:
                    lastScene = chunk.SceneIndex;
                    await sink.WriteAsync(encoder.Encode(chunk)).ConfigureAwait(false);
                    latency.Add(time.GetElapsedTime(chunk.SourceReceivedTimestamp).TotalSeconds);
                    firstAudio ??= time.GetElapsedTime(started);
                    break;
                case SceneUpdate scene:
                    scenes.Add(scene);
                    break;
                case PipelineSummary last:
                    if (encoder.Flush(lastScene) is { } tail)
                    {
                        await sink.WriteAsync(tail).ConfigureAwait(false);
                    }

                    summary = last;
                    break;
            }

            OnEvent?.Invoke(item);
        }

        sink.Complete();
        return new LocalRunResult(scenes, summary!, latency, firstAudio ?? TimeSpan.Zero, encoder.FramesSent);
    }
}
