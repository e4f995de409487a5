using System.Globalization;
using V2AStream.Cli;
using V2AStream.Protos.V1;
using V2AStream.Running;

namespace V2AStream.Relay;

/// <summary>
/// What <c>v2a relay</c> tells its operator on stderr: what happens as it happens (the source or the daemon lost and
/// back, each scene with its time on the published clock), a status line every interval (video bitrate, sound latency,
/// scenes, silence, reconnects), and a closing summary. The sound latency is the wall time from the relay reading a
/// video frame to handing the publisher the sound for that frame. With <paramref name="json"/> the same goes to
/// <paramref name="output"/> (then stdout) as JSON Lines: <c>{"event": {"message"}}</c>, <c>{"scene": ...}</c> (the CLI's
/// one scene shape, times on the published clock), <c>{"status": ...}</c> and last <c>{"summary": ...}</c>. Thread-safe.
/// </summary>
internal sealed class RelayReport(TextWriter output, TimeProvider time, bool json = false)
{
    private readonly Lock _lock = new();
    private readonly long _started = time.GetTimestamp();
    private LatencyStatistics _latencies = new();
    private long _intervalVideoBytes;
    private long _intervalStarted = time.GetTimestamp();
    private long _videoBytes;
    private double _maxLatency;

    public int Scenes { get; private set; }

    public double VideoSeconds { get; private set; }

    public double SoundSeconds { get; private set; }

    public double SilenceSeconds { get; private set; }

    public double DroppedSeconds { get; private set; }

    public int SourceReconnects { get; set; }

    public int DaemonReconnects { get; set; }

    public void OnVideo(int bytes, double publishedSeconds)
    {
        lock (_lock)
        {
            _videoBytes += bytes;
            _intervalVideoBytes += bytes;
            VideoSeconds = Math.Max(VideoSeconds, publishedSeconds);
        }
    }

    /// <summary>The sound's state after a write: its end, the silence and the dropped sound so far (seconds).</summary>
    public void OnSound(double soundSeconds, double silenceSeconds, double droppedSeconds, double? latencySeconds)
    {
        lock (_lock)
        {
            SoundSeconds = soundSeconds;
            SilenceSeconds = silenceSeconds;
            DroppedSeconds = droppedSeconds;
            if (latencySeconds is { } latency)
            {
                _latencies.Add(latency);
                _maxLatency = Math.Max(_maxLatency, latency);
            }
        }
    }

    /// <summary>A scene the daemon sent on a call that started <paramref name="callStartSeconds"/> into the published clock, at <paramref name="fps"/> sampled frames a second.</summary>
    public void OnScene(SceneEvent scene, double callStartSeconds, double fps)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int index;
        lock (_lock)
        {
            index = Scenes++;
        }

        if (json)
        {
            // Scene indices and times restart with each call; the relay's count on the published clock does not.
            var published = scene.Clone();
            published.SceneIndex = (uint)index;
            published.StartUs += (long)Math.Round(callStartSeconds * 1e6);
            published.EndUs += published.EndUs == 0 ? 0 : (long)Math.Round(callStartSeconds * 1e6);
            Write(CliJson.Event("scene", SceneJson.From(published, fps)));
            return;
        }

        var labels = scene.Labels.Count == 0 ? string.Empty : $"  {string.Join(", ", scene.Labels)}";
        Write(string.Create(CultureInfo.InvariantCulture, $"scene {index,-3} at {callStartSeconds + (scene.StartUs / 1e6),8:F2} s{(scene.SceneIndex == 0 ? string.Empty : $"  (cut score {scene.Score:F1})")}{labels}"));
    }

    /// <summary>Something the operator should know (connected, lost, back, stopping).</summary>
    public void Say(string line) => Write(json ? CliJson.Event("event", new RelayEvent(line)) : line);

    /// <summary>Prints the status line every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunStatusAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var status = Status();
                Write(json ? CliJson.Event("status", status) : status.Line());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The figures since the last status; starts the next interval.</summary>
    public RelayStatus Status()
    {
        lock (_lock)
        {
            var seconds = time.GetElapsedTime(_intervalStarted).TotalSeconds;
            var bitrate = seconds > 0 ? _intervalVideoBytes * 8 / seconds / 1e6 : 0;
            var status = new RelayStatus(
                time.GetElapsedTime(_started).TotalSeconds,
                bitrate,
                VideoSeconds,
                SoundSeconds,
                _latencies.Count == 0 ? null : _latencies.Percentile(50),
                _latencies.Count == 0 ? null : _latencies.Max,
                Scenes,
                SilenceSeconds,
                DroppedSeconds,
                SourceReconnects,
                DaemonReconnects);
            _latencies = new LatencyStatistics();
            _intervalVideoBytes = 0;
            _intervalStarted = time.GetTimestamp();
            return status;
        }
    }

    /// <summary>Writes the closing summary (with --json the last line).</summary>
    public void WriteSummary()
    {
        RelaySummary summary;
        lock (_lock)
        {
            summary = new RelaySummary(VideoSeconds, _videoBytes / 1e6, SoundSeconds, SilenceSeconds, DroppedSeconds, Scenes, _maxLatency, SourceReconnects, DaemonReconnects);
        }

        Write(json ? CliJson.Event("summary", summary) : summary.Line());
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>An event line with --json.</summary>
    private sealed record RelayEvent(string Message);
}
