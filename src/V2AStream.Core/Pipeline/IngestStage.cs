using System.Threading.Channels;
using V2AStream.Core.Media;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// The first stage: moves frames from the ffmpeg child into the pipeline and records when each arrived,
/// the start of its chunks' latency. When the next stage is full it stops reading, ffmpeg's stdout pipe
/// fills, ffmpeg stops reading its input, and the client is slowed by transport flow control.
/// An input that ends early after giving frames (a truncated file, damage ffmpeg cannot read past) ends the stage
/// normally: the stream makes the audio for what decoded, and <see cref="EndedEarly"/> says why it stopped.
/// </summary>
internal sealed class IngestStage(FrameArrivals arrivals, TimeProvider time, IPipelineMetrics metrics)
{
    private long _frames;

    public long FramesIngested => Interlocked.Read(ref _frames);

    /// <summary>Why the input ended early, once it has; null while it has not (or it ended well).</summary>
    public string? EndedEarly => EndedEarlyBy?.Message;

    /// <summary>The reader's error that ended the input early (<see cref="EndedEarly"/>), for callers that report it as their own.</summary>
    public MediaException? EndedEarlyBy { get; private set; }

    public async Task RunAsync(IAsyncEnumerable<VideoFrame> frames, ChannelWriter<VideoFrame> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var frame in frames.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                arrivals.Record(frame.Index, time.GetTimestamp());
                Interlocked.Increment(ref _frames);
                metrics.OnFrameIngested();
                try
                {
                    await output.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }
            }
        }
        catch (MediaException ex) when (ex.EndedInputEarly)
        {
            EndedEarlyBy = ex;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }
}
