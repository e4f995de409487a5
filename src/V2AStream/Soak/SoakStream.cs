using Grpc.Core;
using V2AStream.Client;
using V2AStream.Protos.V1;

namespace V2AStream.Soak;

/// <summary>
/// One of the soak's concurrent streams: sends its source to the daemon again and again (paced at 1x by media
/// time when real time and the source's byte index is known, else evenly by bytes) until the soak's duration has passed, timing every audio chunk against the moment the media at
/// its end was sent, and playing it out on a <see cref="PlayoutClock"/> to count underruns. A stream that the
/// server ends with an error records the status and stops; with a reconnect policy a broken call is followed by a new one
/// that goes on from the live position (<see cref="ReconnectingStream"/>), and the audio lost in between is counted.
/// </summary>
/// <param name="copies">Where a reconnecting stream gets its source's MPEG-TS copy (shared by the soak's streams); null: its own.</param>
internal sealed class SoakStream(int index, SoakStreamOptions options, TimeProvider time, long soakOrigin, Action<SoakChunk>? chunkObserved = null, ResumeCopies? copies = null)
{
    /// <summary>Media per message: a tenth of a second, so a chunk's send time is known to within that.</summary>
    private const double MessageSeconds = 0.1;

    private readonly ReconnectPolicy? _reconnect = options.Reconnect ? ReconnectingStream.DefaultPolicy(time) : null;

    /// <summary>The send log of the call that is open now (each call of a session has its own).</summary>
    private MediaSendLog? _sendLog;

    public async Task<SoakStreamResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new SoakStreamResult(index, options.SourcePath);
        var started = Now();
        var length = new FileInfo(options.SourcePath).Length;
        var duration = options.SourceDuration.TotalSeconds;
        var pacedByMediaTime = options.Realtime && options.ByteIndex is not null;
        var client = new StreamClientOptions
        {
            Server = options.Server,
            Token = options.Token,
            Config = options.Config,
            PaceOver = options.Realtime && !pacedByMediaTime ? options.SourceDuration : null,
            ChunkBytes = pacedByMediaTime ? 1 << 16 : (int)Math.Clamp(length / Math.Max(duration, 0.001) * MessageSeconds, 1024, 1 << 20),
        };
        var ownCopies = new ResumeCopies();
        await using (ownCopies.ConfigureAwait(false))
        {
            var copy = !options.Reconnect ? null : await (copies ?? ownCopies).GetAsync(options.SourcePath, cancellationToken).ConfigureAwait(false);
            var source = new ResumableFile(options.SourcePath, options.ByteIndex, pacedByMediaTime, copy, client, time, OnCallOpened);
            do
            {
                result.Sessions++;
                if (!await RunSessionAsync(source, result, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
            while (!cancellationToken.IsCancellationRequested && time.GetElapsedTime(soakOrigin) < options.Duration);
        }

        result.WallSeconds = Now() - started;
        return result;
    }

    /// <summary>Returns false when the session ended with an error (recorded in the result).</summary>
    private async Task<bool> RunSessionAsync(IResumableSource source, SoakStreamResult result, CancellationToken cancellationToken)
    {
        var stream = new ReconnectingStream(source, _reconnect);
        var playout = new PlayoutClock(options.JitterBufferSeconds);
        var sessionStart = Now();
        var resumedAt = new Dictionary<StreamInterruption, double>();
        try
        {
            await foreach (var item in stream.RunAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Response.EventCase != GenerateResponse.EventOneofCase.Audio)
                {
                    continue;
                }

                var arrival = Now();
                var audio = item.Response.Audio;
                var chunkStart = audio.StartUs / 1e6;
                var underrun = playout.OnChunk(chunkStart, arrival);
                if (underrun)
                {
                    result.Underruns++;
                }

                foreach (var interruption in stream.Interruptions.Where(i => (i.Resumed || i == item.FillsGapOf) && !resumedAt.ContainsKey(i)))
                {
                    resumedAt[interruption] = arrival;
                }

                if (item.FillsGapOf is not null)
                {
                    // Silence for audio lost to a broken call: played out, never timed.
                    continue;
                }

                var mediaEnd = (audio.StartUs + audio.DurationUs) / 1e6;
                var latency = arrival - _sendLog!.SendTimeOf(mediaEnd);
                if (double.IsNaN(result.TimeToFirstAudioSeconds))
                {
                    result.TimeToFirstAudioSeconds = arrival - sessionStart;
                }

                result.Latency.Add(latency);
                var chunk = new SoakChunk(index, result.Sessions, chunkStart, arrival, latency, underrun);
                result.Chunks.Add(chunk);
                chunkObserved?.Invoke(chunk);
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
            result.MediaSeconds += stream.ReachedSeconds;
            result.Reconnects += stream.Reconnects;
            result.Interruptions.AddRange(stream.Interruptions.Select(i => new SoakInterruption(i, resumedAt.GetValueOrDefault(i, double.NaN))));
        }
    }

    private Action<long> OnCallOpened(FileCall call)
    {
        var origin = call.PacingStartedTimestamp is { } started ? time.GetElapsedTime(soakOrigin, started).TotalSeconds : (double?)null;
        var log = new MediaSendLog(call.Length, options.SourceDuration.TotalSeconds, call.Index, origin);
        _sendLog = log;
        return bytes => log.OnSent(call.StartByte + bytes, Now());
    }

    private double Now() => time.GetElapsedTime(soakOrigin).TotalSeconds;
}
