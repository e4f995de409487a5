using Microsoft.Extensions.Logging;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Core.Relay;

namespace V2AStream.Relay;

/// <summary>
/// <c>v2a relay</c>: reads a live stream (<see cref="LiveSourceReader"/>), publishes its video, stream-copied, with the
/// generated sound (<see cref="MuxingPublisher"/>), and gets that sound from the daemon (<see cref="AudioLeg"/>), on one
/// clock (<see cref="ContinuousTsStream"/>, <see cref="AudioTimeline"/>): the sound's time zero is the video's first
/// frame, and each call's sound starts at the time of the key frame it was sent first. A source that drops is opened
/// again by the <see cref="ReconnectPolicy"/>, and its video continues the published clock; the relay ends when the
/// source stays away longer than the reconnect window, or when cancelled (Ctrl-C, SIGTERM), each time finishing the
/// sound of what was read and closing the publication properly.
/// </summary>
internal sealed class LiveRelay(RelayOptions options, StreamClient client, RelayReport report, ILoggerFactory loggerFactory, TimeProvider time)
{
    /// <summary>
    /// How long a cancelled relay gives the daemon to finish its sound, then the publisher to finish writing: together
    /// within the two seconds the command line gives an action after Ctrl-C or SIGTERM.
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(0.7);

    /// <summary>
    /// Relays until the source is gone for good (returns normally) or the relay is cancelled (returns normally too).
    /// Throws <see cref="MediaException"/> when the source never opened within the window or the publisher failed, and the
    /// daemon's refusal when it refused the stream for good.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var source = MediaSource.FromUrl(options.Source);
        var reader = new LiveSourceReader(new LiveSourceReaderOptions { StallTimeout = options.SourceStallTimeout }, loggerFactory.CreateLogger<LiveSourceReader>());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publisher = await MuxingPublisher.StartAsync(options.Publisher, loggerFactory.CreateLogger<MuxingPublisher>()).ConfigureAwait(false);

        // A publisher that dies (the destination went away) stops the relay at once, whatever it is waiting on.
        var publisherWatch = publisher.Exited.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await RelayThroughAsync(publisher, source, reader, stop, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Disposing the publisher stopped ffmpeg, so the watch has run.
            await publisherWatch.ConfigureAwait(false);
        }

        report.WriteSummary();
    }

    private async Task RelayThroughAsync(MuxingPublisher publisher, MediaSource source, LiveSourceReader reader, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        await using (publisher.ConfigureAwait(false))
        {
            var leg = new AudioLeg(client, options, publisher, report, time);
            await using (leg.ConfigureAwait(false))
            {
                var status = report.RunStatusAsync(options.StatusInterval, stop.Token);
                try
                {
                    await RelayConnectionsAsync(source, reader, publisher, leg, stop.Token).ConfigureAwait(false);
                    await publisher.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !publisher.Exited.IsCompleted)
                {
                    // Stopped by the operator: give the publisher a moment to write its end.
                    using var grace = new CancellationTokenSource(StopGrace);
                    await publisher.CompleteAsync(grace.Token).ConfigureAwait(false);
                }
                catch (Exception) when (publisher.Exited.IsCompleted)
                {
                    throw publisher.Failure(publisher.Exited.Result);
                }
                finally
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await status.ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RelayConnectionsAsync(MediaSource source, LiveSourceReader reader, MuxingPublisher publisher, AudioLeg leg, CancellationToken cancellationToken)
    {
        var stream = new ContinuousTsStream();
        var reconnect = new ReconnectPolicy(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), options.ReconnectWindow, time);
        var everConnected = false;
        MediaException? cause = null;
        while (true)
        {
            stream.BeginConnection();
            var connected = false;
            MediaException? failure = null;
            try
            {
                // While the source is away, an attempt waits no longer than the rest of the reconnect window.
                var openTimeout = reconnect.Outage is { } outage && options.ReconnectWindow - outage < options.SourceStallTimeout
                    ? TimeSpan.FromTicks(Math.Max(options.ReconnectWindow.Ticks - outage.Ticks, TimeSpan.TicksPerMillisecond * 100))
                    : options.SourceStallTimeout;
                await foreach (var bytes in reader.ReadAsync(source, openTimeout, cancellationToken).ConfigureAwait(false))
                {
                    var chunk = stream.Append(bytes.Span);
                    if (chunk.Data.IsEmpty)
                    {
                        continue;
                    }

                    if (!connected)
                    {
                        connected = everConnected = true;
                        reconnect.Connected();
                        report.SourceReconnects = reconnect.Reconnects;
                        report.Say(reconnect.Reconnects == 0 ? "relay: source connected" : $"relay: source back (reconnection {reconnect.Reconnects})");
                    }

                    await publisher.WriteVideoAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                    report.OnVideo(chunk.Data.Length, stream.Seconds);
                    await leg.OnVideoAsync(chunk, stream, cancellationToken).ConfigureAwait(false);
                    if (leg.Fatal is { } fatal)
                    {
                        throw new RelayException($"the daemon refused the stream: {AudioLeg.Describe(fatal)}", fatal);
                    }
                }
            }
            catch (MediaException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ex;

                // What ffmpeg said about the source explains more than an attempt the window cut short.
                cause = ex.Reason == MediaErrorReason.Stalled && cause is not null ? cause : ex;
            }
            finally
            {
                // The sound of what was read is finished and published; on a stop, only for a moment.
                var stopping = cancellationToken.IsCancellationRequested;
                using var grace = new CancellationTokenSource(2 * StopGrace);
                await leg.EndConnectionAsync(stream, stopping ? StopGrace : AudioLeg.CallDrainTimeout, stopping ? grace.Token : cancellationToken).ConfigureAwait(false);
            }

            report.Say(connected
                ? $"relay: the source {(failure is null ? "ended" : $"failed ({failure.Message})")}; reopening it for up to {options.ReconnectWindow.TotalSeconds:F0} s"
                : $"relay: cannot read the source yet ({failure?.Message ?? "it ended at once"}); retrying");
            if (!await reconnect.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!everConnected)
                {
                    throw cause ?? new MediaException(MediaErrorReason.Stalled, $"{source} sent nothing for {options.ReconnectWindow.TotalSeconds:F0} s.", source.Location);
                }

                report.Say($"relay: the source stayed away for {options.ReconnectWindow.TotalSeconds:F0} s; stopping");
                return;
            }
        }
    }
}
