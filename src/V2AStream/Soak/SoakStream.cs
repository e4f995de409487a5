using Grpc.Core;
using V2AStream.Client;
using V2AStream.Protos.V1;

namespace V2AStream.Soak;

/// <summary>
/// One of the soak's concurrent streams: sends its source to the daemon again and again (paced at 1x by media
/// time when real time and the source's byte index is known, else evenly by bytes) until the soak's duration has passed, timing every audio chunk against the moment the media at
/// its end was sent, and playing it out on a <see cref="PlayoutClock"/> to count underruns. A stream that the
/// server ends with an error records the status and stops.
/// </summary>
internal sealed class SoakStream(int index, SoakStreamOptions options, TimeProvider time, long soakOrigin, Action<SoakChunk>? chunkObserved = null)
{
    /// <summary>Media per message: a tenth of a second, so a chunk's send time is known to within that.</summary>
    private const double MessageSeconds = 0.1;

    public async Task<SoakStreamResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new SoakStreamResult(index, options.SourcePath);
        var started = Now();
        do
        {
            result.Sessions++;
            if (!await RunSessionAsync(result, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }
        while (!cancellationToken.IsCancellationRequested && time.GetElapsedTime(soakOrigin) < options.Duration);

        result.WallSeconds = Now() - started;
        return result;
    }

    /// <summary>Returns false when the session ended with an error (recorded in the result).</summary>
    private async Task<bool> RunSessionAsync(SoakStreamResult result, CancellationToken cancellationToken)
    {
        var length = new FileInfo(options.SourcePath).Length;
        var duration = options.SourceDuration.TotalSeconds;
        var sendLog = new MediaSendLog(length, duration, options.ByteIndex);
        var pacedByMediaTime = options.Realtime && options.ByteIndex is not null;
        var client = new StreamClient(
            new StreamClientOptions
            {
                Server = options.Server,
                Token = options.Token,
                Config = options.Config,
                PaceOver = options.Realtime && !pacedByMediaTime ? options.SourceDuration : null,
                ChunkBytes = pacedByMediaTime ? 1 << 16 : (int)Math.Clamp(length / Math.Max(duration, 0.001) * MessageSeconds, 1024, 1 << 20),
                MediaSent = bytes => sendLog.OnSent(bytes, Now()),
            },
            time);
        var playout = new PlayoutClock(options.JitterBufferSeconds);
        var sessionStart = Now();
        var mediaEnd = 0.0;
        try
        {
            Stream file = File.OpenRead(options.SourcePath);
            if (pacedByMediaTime)
            {
                file = new MediaPacedStream(file, options.ByteIndex!, time, MessageSeconds);
            }

            await using (file.ConfigureAwait(false))
            {
                await foreach (var response in client.GenerateAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    if (response.EventCase != GenerateResponse.EventOneofCase.Audio)
                    {
                        continue;
                    }

                    var arrival = Now();
                    var chunkStart = response.Audio.StartUs / 1e6;
                    mediaEnd = (response.Audio.StartUs + response.Audio.DurationUs) / 1e6;
                    var latency = arrival - sendLog.SendTimeOf(mediaEnd);
                    if (double.IsNaN(result.TimeToFirstAudioSeconds))
                    {
                        result.TimeToFirstAudioSeconds = arrival - sessionStart;
                    }

                    var underrun = playout.OnChunk(chunkStart, arrival);
                    if (underrun)
                    {
                        result.Underruns++;
                    }

                    result.Latency.Add(latency);
                    var chunk = new SoakChunk(index, result.Sessions, chunkStart, arrival, latency, underrun);
                    result.Chunks.Add(chunk);
                    chunkObserved?.Invoke(chunk);
                }
            }

            return true;
        }
        catch (RpcException ex)
        {
            var status = ex.StatusCode.ToString();
            result.Errors[status] = result.Errors.GetValueOrDefault(status) + 1;
            return false;
        }
        finally
        {
            result.StallSeconds += playout.StallSeconds;
            result.MediaSeconds += mediaEnd;
        }
    }

    private double Now() => time.GetElapsedTime(soakOrigin).TotalSeconds;
}
