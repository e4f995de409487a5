using System.Text.Json;
using V2AStream.Protos.V1;
using V2AStream.Relay;
using V2AStream.Testing;

namespace V2AStream.Tests.Relay;

/// <summary>What the relay prints for its operator: the same figures as lines on stderr, or JSON Lines with --json.</summary>
public sealed class RelayReportTests
{
    private static readonly SceneEvent SecondSceneOfACall = new() { SceneIndex = 1, StartUs = 3_000_000, EndUs = 5_000_000, Score = 4.5f, Labels = { "rain" } };

    [Fact]
    public void Text_SceneOnThePublishedClockStatusAndSummary()
    {
        var (report, output, time) = Start(json: false);

        report.Say("relay: source connected");
        Feed(report);
        time.Set(2);
        var status = report.Status();
        report.WriteSummary();

        Assert.Equal(
            [
                "relay: source connected",
                "scene 0   at    13.00 s  (cut score 4.5)  rain",
                "relay done: 2.00 s of video (0.3 MB) published with 1.90 s of sound, 0.50 s of it silence, 0.00 s of late sound dropped; 1 scenes; sound latency max 0.40 s; reconnects: source 1, daemon 0",
            ],
            Lines(output));
        Assert.Equal("relay 0:00:02  video 1.20 Mb/s, 2.0 s  sound 1.9 s  sound latency 0.40 s (max 0.40 s)  scenes 1  silence 0.5 s  dropped 0.0 s  reconnects: source 1, daemon 0", status.Line());
    }

    [Fact]
    public void Json_OneObjectPerLine_TheCliSceneShape_SummaryLast()
    {
        var (report, output, time) = Start(json: true);

        report.Say("relay: source connected");
        Feed(report);
        time.Set(2);
        report.WriteSummary();

        Assert.Equal(
            [
                """{"event":{"message":"relay: source connected"}}""",
                """{"scene":{"index":0,"start_s":13,"end_s":15,"start_frame":52,"end_frame":59,"score":4.5,"labels":["rain"]}}""",
                """{"summary":{"video_s":2,"video_mb":0.3,"sound_s":1.9,"silence_s":0.5,"dropped_s":0,"scenes":1,"sound_latency_max_s":0.4,"source_reconnects":1,"daemon_reconnects":0}}""",
            ],
            Lines(output));
        Assert.All(Lines(output), line => Assert.Single(JsonDocument.Parse(line).RootElement.EnumerateObject()));
    }

    [Fact]
    public void Status_BeforeAnySound_NoLatency()
    {
        var (report, _, time) = Start(json: true);

        time.Set(5);
        var status = report.Status();

        Assert.Null(status.SoundLatencyP50S);
        Assert.Contains("sound latency -", status.Line(), StringComparison.Ordinal);
    }

    private static (RelayReport Report, StringWriter Output, ScriptedTimeProvider Time) Start(bool json)
    {
        var output = new StringWriter();
        var time = new ScriptedTimeProvider();
        return (new RelayReport(output, time, json), output, time);
    }

    /// <summary>2 s of video (300 kB) published, its sound 1.9 s with 0.5 s of silence, one scene of a call that started at 10 s.</summary>
    private static void Feed(RelayReport report)
    {
        report.SourceReconnects = 1;
        report.OnVideo(300_000, 2.0);
        report.OnSound(1.9, 0.5, 0.0, 0.4);
        report.OnScene(SecondSceneOfACall, callStartSeconds: 10, fps: 4);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
