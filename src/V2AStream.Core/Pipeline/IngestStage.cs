using System.Threading.Channels;
using V2AStream.Core.Media;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// The first stage: moves frames from the ffmpeg child into the pipeline and records when each arrived,
/// the start of its chunks' latency. When the next stage is full it stops reading, ffmpeg's stdout pipe
/// fills, ffmpeg stops reading its input, and the client is slowed by transport flow control.
/// </summary>
internal sealed class IngestStage(FrameArrivals arrivals, TimeProvider time, IPipelineMetrics metrics)
{
    private long _frames;

    public long FramesIngested => Interlocked.Read(ref _frames);

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
