using System.Globalization;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Core.Models;
using V2AStream.Core.Relay;
using V2AStream.Protos.V1;

namespace V2AStream.Relay;

/// <summary>
/// The relay's audio leg: sends the video to the daemon, one Generate call at a time, each starting at a key frame, and
/// places the sound that comes back on the video's clock in the publisher (<see cref="AudioTimeline"/>): call k's sound
/// starts at its key frame's time. Where no sound is being made (the daemon lost, a call not answered yet) the video is
/// given silence up to its newest frame, and sound lagging more than the allowed lag is given up as silence, so the
/// publisher never holds video for long. A lost call is retried by the <see cref="ReconnectPolicy"/> with no end while
/// the video flows; a call the daemon refuses for good (a bad model set, a missing token) stops the relay
/// (<see cref="Fatal"/>). Thread-safe: the source loop calls in, each call's response loop places its sound.
/// </summary>
internal sealed class AudioLeg : IAsyncDisposable
{
    /// <summary>How long the end of a source connection waits for the daemon to finish the sound of what it was sent.</summary>
    public static readonly TimeSpan CallDrainTimeout = TimeSpan.FromSeconds(30);

    private readonly StreamClient _client;
    private readonly RelayOptions _options;
    private readonly MuxingPublisher _publisher;
    private readonly AudioTimeline _timeline;
    private readonly ReconnectPolicy _reconnect;
    private readonly RelayReport _report;
    private readonly TimeProvider _time;
    private readonly VideoArrivals _arrivals = new();
    private readonly SemaphoreSlim _soundGate = new(1, 1);
    private readonly long _maxLagFrames;
    private RelayCall? _call;
    private int _calls;
    private long _retryAt;
    private long _lostAt;
    private Exception? _fatal;

    public AudioLeg(StreamClient client, RelayOptions options, MuxingPublisher publisher, RelayReport report, TimeProvider time)
    {
        _client = client;
        _options = options;
        _publisher = publisher;
        _report = report;
        _time = time;
        _timeline = new AudioTimeline(options.Publisher.SampleRate, options.Publisher.Channels);
        _reconnect = new ReconnectPolicy(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), giveUpAfter: null, time);
        _maxLagFrames = (long)(options.MaxSoundLag.TotalSeconds * options.Publisher.SampleRate);
    }

    /// <summary>A refusal that retrying cannot cure; the relay stops with it.</summary>
    public Exception? Fatal => Volatile.Read(ref _fatal);

    /// <summary>Takes the next video of the current source connection (already on its way to the publisher).</summary>
    public async Task OnVideoAsync(TsChunk chunk, ContinuousTsStream stream, CancellationToken cancellationToken)
    {
        if (chunk.Frames.Count == 0 && _call is null)
        {
            await FillSilenceAsync(stream, cancellationToken).ConfigureAwait(false);
            return;
        }

        var origin = stream.FirstPts!.Value;
        var now = _time.GetTimestamp();
        foreach (var frame in chunk.Frames)
        {
            _arrivals.Record(_timeline.FrameAt90kHz(frame.Pts - origin), now);
        }

        if (_call is { IsOver: true } over)
        {
            EndCall(over);
        }

        if (_call is null)
        {
            if (Fatal is null && now >= _retryAt && chunk.Frames.FirstOrDefault(f => f.Keyframe) is { Keyframe: true } key)
            {
                var call = StartCall(_timeline.FrameAt90kHz(key.Pts - origin));
                _ = await call.WriteAsync(stream.ProgramTables, cancellationToken).ConfigureAwait(false)
                    && await call.WriteAsync(chunk.Data[key.Offset..], cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await _call.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
        }

        await FillSilenceAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The source connection ended: the call gets the end of its video and up to <paramref name="drainTimeout"/> to finish
    /// its sound, then the sound is brought up to the end of the video with silence.
    /// </summary>
    public async Task EndConnectionAsync(ContinuousTsStream stream, TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        if (stream.FirstPts is not { } origin || stream.EndPts is not { } end)
        {
            return;
        }

        var endFrame = _timeline.FrameAt90kHz(end - origin);
        if (_call is { } call)
        {
            call.EndFrame = endFrame;
            await call.CompleteInputAsync().ConfigureAwait(false);
            try
            {
                await call.Completion.WaitAsync(drainTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                call.Abort();
                await call.Completion.ConfigureAwait(false);
            }

            EndCall(call);
        }

        // The next connection's first call may start at once: the daemon was not at fault.
        _retryAt = 0;
        await WriteSoundAsync(() => _timeline.SilenceTo(endFrame), latencyFrame: null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_call is { } call)
        {
            call.Abort();
            await call.Completion.ConfigureAwait(false);
            EndCall(call);
        }

        _soundGate.Dispose();
    }

    private RelayCall StartCall(long anchorFrame)
    {
        var call = new RelayCall(++_calls, anchorFrame);
        call.Completion = RunCallAsync(call);
        _call = call;
        return call;
    }

    /// <summary>One call's response loop: sound placed as it comes, scenes reported; how it ended is kept on the call.</summary>
    private async Task RunCallAsync(RelayCall call)
    {
        await Task.Yield();
        try
        {
            await foreach (var response in _client.GenerateAsync(call.Input, call.Aborted).ConfigureAwait(false))
            {
                switch (response.EventCase)
                {
                    case GenerateResponse.EventOneofCase.Started:
                        call.SampleFps = response.Started.Config?.Scenes?.SampleFps ?? 0;
                        OnAnswered(call);
                        break;
                    case GenerateResponse.EventOneofCase.Audio:
                        await PlaceSoundAsync(call, response.Audio).ConfigureAwait(false);
                        break;
                    case GenerateResponse.EventOneofCase.Scene:
                        _report.OnScene(response.Scene, _timeline.Seconds(call.AnchorFrame), call.SampleFps);
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            // Once aborted, the relay is stopping or the call was given up (its failure is set already).
            if (!call.Aborted.IsCancellationRequested)
            {
                call.Failure ??= ex;
            }

            return;
        }

        if (!call.InputCompleted)
        {
            call.Failure ??= new IOException("the sound service ended the call before its video ended");
        }
    }

    private void OnAnswered(RelayCall call)
    {
        call.Answered = true;
        _reconnect.Connected();
        _report.DaemonReconnects = _reconnect.Reconnects;
        if (Interlocked.Exchange(ref _lostAt, 0) is var lostAt and not 0)
        {
            _report.Say(string.Create(CultureInfo.InvariantCulture, $"relay: sound is back after {_time.GetElapsedTime(lostAt).TotalSeconds:F1} s: call {call.Number} from {_timeline.Seconds(call.AnchorFrame):F2} s; {_report.SilenceSeconds:F1} s of silence so far"));
        }
    }

    private async Task PlaceSoundAsync(RelayCall call, AudioChunk chunk)
    {
        var frameBytes = _options.Publisher.AudioFrameBytes;
        var frames = chunk.Data.Length / frameBytes;
        var start = call.AnchorFrame + call.FramesReceived;
        call.AddFramesReceived(frames);

        // The sound of the last sampled frame may run past the end of the video (by up to one sample interval): cut there.
        var kept = call.EndFrame is { } end ? (int)Math.Clamp(end - start, 0, frames) : frames;
        var pcm = chunk.Data.Memory[..(kept * frameBytes)];
        await WriteSoundAsync(() => _timeline.Place(start, pcm), latencyFrame: start + kept, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>Silence where no sound will come: before the running call's start, behind the allowed lag, or everywhere while there is no call.</summary>
    private Task FillSilenceAsync(ContinuousTsStream stream, CancellationToken cancellationToken)
    {
        if (stream.FirstPts is not { } origin || stream.LastPts is not { } last)
        {
            return Task.CompletedTask;
        }

        var newest = _timeline.FrameAt90kHz(last - origin);
        var target = _call is { } call && !call.IsOver ? Math.Max(Math.Min(call.AnchorFrame, newest), newest - _maxLagFrames) : newest;
        return WriteSoundAsync(() => _timeline.SilenceTo(target), latencyFrame: null, cancellationToken);
    }

    private async Task WriteSoundAsync(Func<ReadOnlyMemory<byte>> place, long? latencyFrame, CancellationToken cancellationToken)
    {
        await _soundGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = place();
            if (!bytes.IsEmpty)
            {
                await _publisher.WriteAudioAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            double? latency = latencyFrame is { } frame && _arrivals.ArrivalOfFrameAt(frame) is { } arrival ? _time.GetElapsedTime(arrival).TotalSeconds : null;
            _report.OnSound(_timeline.Seconds(_timeline.FramesWritten), _timeline.Seconds(_timeline.SilenceFrames), _timeline.Seconds(_timeline.DroppedFrames), latency);
        }
        finally
        {
            _soundGate.Release();
        }
    }

    /// <summary>A call is over: a failure schedules the next call (or stops the relay when retrying cannot help).</summary>
    private void EndCall(RelayCall call)
    {
        _call = null;
        call.Dispose();
        if (call.Failure is not { } failure)
        {
            return;
        }

        if (IsFinal(failure))
        {
            Volatile.Write(ref _fatal, failure);
            return;
        }

        Interlocked.CompareExchange(ref _lostAt, _time.GetTimestamp(), 0);
        var delay = _reconnect.NextDelay() ?? TimeSpan.Zero;
        _retryAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        _report.Say($"relay: the sound service failed (call {call.Number}: {Describe(failure)}); publishing silence, retrying in {delay.TotalSeconds:F1} s");
    }

    /// <summary>Refusals that the same call would get again: the relay stops with them.</summary>
    private static bool IsFinal(Exception failure) => failure switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated
            or StatusCode.NotFound or StatusCode.Unimplemented or StatusCode.FailedPrecondition,
        ModelSetException => true,
        _ => false,
    };

    public static string Describe(Exception failure) => failure is RpcException rpc ? CallErrors.StatusLine(rpc) : failure.Message;
}
