using System.Globalization;
using V2AStream.Protos.V1;
using V2AStream.Running;

namespace V2AStream.Relay;

/// <summary>
/// What <c>v2a relay</c> tells its operator on stderr: what happens as it happens (the source or the daemon lost and
/// back, each scene with its time on the published clock), a status line every interval (video bitrate, sound latency,
/// scenes, silence, reconnects), and a closing summary. The sound latency is the wall time from the relay reading a
/// video frame to handing the publisher the sound for that frame. Thread-safe.
/// </summary>
internal sealed class RelayReport(TextWriter output, TimeProvider time)
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

    public void OnScene(SceneEvent scene, double callStartSeconds)
    {
        lock (_lock)
        {
            Scenes++;
        }

        var labels = scene.Labels.Count == 0 ? string.Empty : $"  {string.Join(", ", scene.Labels)}";
        Say(string.Create(CultureInfo.InvariantCulture, $"scene {Scenes - 1,-3} at {callStartSeconds + (scene.StartUs / 1e6),8:F2} s{(scene.SceneIndex == 0 ? string.Empty : $"  (cut score {scene.Score:F1})")}{labels}"));
    }

    public void Say(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

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
                Say(StatusLine());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public string StatusLine()
    {
        lock (_lock)
        {
            var seconds = time.GetElapsedTime(_intervalStarted).TotalSeconds;
            var bitrate = seconds > 0 ? _intervalVideoBytes * 8 / seconds / 1e6 : 0;
            var latency = _latencies.Count == 0
                ? "sound latency -"
                : string.Create(CultureInfo.InvariantCulture, $"sound latency {_latencies.Percentile(50):F2} s (max {_latencies.Max:F2} s)");
            _latencies = new LatencyStatistics();
            _intervalVideoBytes = 0;
            _intervalStarted = time.GetTimestamp();
            return string.Create(
                CultureInfo.InvariantCulture,
                $"relay {time.GetElapsedTime(_started):h\\:mm\\:ss}  video {bitrate:F2} Mb/s, {VideoSeconds:F1} s  sound {SoundSeconds:F1} s  {latency}  scenes {Scenes}  silence {SilenceSeconds:F1} s  dropped {DroppedSeconds:F1} s  reconnects: source {SourceReconnects}, daemon {DaemonReconnects}");
        }
    }

    public string SummaryLine()
    {
        lock (_lock)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"relay done: {VideoSeconds:F2} s of video ({_videoBytes / 1e6:F1} MB) published with {SoundSeconds:F2} s of sound, {SilenceSeconds:F2} s of it silence, {DroppedSeconds:F2} s of late sound dropped; {Scenes} scenes; sound latency max {_maxLatency:F2} s; reconnects: source {SourceReconnects}, daemon {DaemonReconnects}");
        }
    }
}
