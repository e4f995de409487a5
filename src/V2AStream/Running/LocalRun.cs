using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using Microsoft.Extensions.Logging;

namespace V2AStream.Running;

/// <summary>
/// Runs one stream through the pipeline in this process (no daemon) into a 16-bit WAV file. The file is
/// written as a .partial beside the target and renamed only when the stream ended well, so a failed or
/// cancelled run leaves no half-written WAV behind.
/// </summary>
internal sealed class LocalRun(LoadedModelSet set, PipelineOptions options, SceneDetectorOptions detectorOptions, ILoggerFactory loggerFactory, TimeProvider time)
{
    /// <summary>Called with each event as it arrives (progress display, scene printing).</summary>
    public Action<PipelineEvent>? OnEvent { get; init; }

    public async Task<LocalRunResult> RunAsync(MediaSource source, string wavPath, CancellationToken cancellationToken)
    {
        var pipeline = new StreamPipeline(set, options, detectorOptions, loggerFactory: loggerFactory, time: time);
        var partial = wavPath + ".partial";
        var scenes = new List<SceneUpdate>();
        var latency = new LatencyStatistics();
        var started = time.GetTimestamp();
        TimeSpan? firstAudio = null;
        PipelineSummary? summary = null;
        try
        {
            var writer = Pcm16Wav.Create(partial, set.Generator.SampleRate, 1);
            await using (writer.ConfigureAwait(false))
            {
                await foreach (var item in pipeline.RunAsync(source, cancellationToken).ConfigureAwait(false))
                {
                    switch (item)
                    {
                        case AudioChunkReady chunk:
                            await writer.WriteSamplesAsync(chunk.Samples, cancellationToken).ConfigureAwait(false);
                            latency.Add(time.GetElapsedTime(chunk.SourceReceivedTimestamp).TotalSeconds);
                            firstAudio ??= time.GetElapsedTime(started);
                            break;
                        case SceneUpdate scene:
                            scenes.Add(scene);
                            break;
                        case PipelineSummary last:
                            summary = last;
                            break;
                    }

                    OnEvent?.Invoke(item);
                }
            }

            File.Move(partial, wavPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return new LocalRunResult(scenes, summary!, latency, firstAudio ?? TimeSpan.Zero);
    }
}
