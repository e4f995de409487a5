using Grpc.Core;
using V2AStream.Client;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// Every corpus input through both Generate (its bytes) and GenerateFromSource (the daemon opens it): each ends with the
/// expected clear status within 10 s, or with audio of exactly round(duration x rate) samples for the media that
/// decoded; afterwards the daemon still answers and no ffmpeg child is left.
/// </summary>
[Collection(HostileCorpusCollection.Name)]
public sealed class HostileCorpusTests(HostileCorpus corpus)
{
    private static readonly TimeSpan StatusWithin = TimeSpan.FromSeconds(10);

    /// <summary>Case -> (what Generate gives, what GenerateFromSource gives).</summary>
    private static readonly Dictionary<string, (Expected Bytes, Expected Source)> Table = new()
    {
        ["random-bytes.bin"] = (Expected.Ends("InvalidArgument", "not a video"), Expected.Ends("InvalidArgument", "not a video")),
        ["empty.ts"] = (Expected.Ends("InvalidArgument", "empty"), Expected.Ends("InvalidArgument", "empty")),
        ["notes.txt"] = (Expected.Ends("InvalidArgument", "not a video"), Expected.Ends("InvalidArgument", "not a video")),
        ["head-cut.ts"] = (Expected.Audio(5, 8), Expected.Audio(5, 8)),
        ["tail-cut.ts"] = (Expected.Audio(3, 6), Expected.Audio(3, 6)),
        ["tail-cut-faststart.mp4"] = (Expected.Audio(1, 9, truncated: true), Expected.Audio(1, 9, truncated: true)),
        ["noise-in-middle.ts"] = (Expected.Audio(9, 10), Expected.Audio(9, 10)),
        ["audio-only.wav"] = (Expected.Ends("InvalidArgument", "no video stream"), Expected.Ends("InvalidArgument", "no video stream")),
        ["picture.png"] = (Expected.Audio(0.25, 0.25), Expected.Audio(0.25, 0.25)),
        ["one-frame.mp4"] = (Expected.Audio(0.25, 0.25), Expected.Audio(0.25, 0.25)),
        ["4k.ts"] = (Expected.Audio(2, 2), Expected.Audio(2, 2)),
        ["corrupted-pts.ts"] = (Expected.Audio(10, 10, discontinuities: 2), Expected.Audio(10, 10, discontinuities: 2)),
        ["jump-23h.mkv"] = (Expected.Audio(10, 10, discontinuities: 1), Expected.Audio(10, 10, discontinuities: 1)),
        ["restarting.ts"] = (Expected.Audio(10, 10), Expected.Audio(10, 10)),
        ["resolution-change.ts"] = (Expected.Audio(4, 4), Expected.Audio(4, 4)),
        ["fake-header.mp4"] = (Expected.Ends("InvalidArgument", string.Empty), Expected.Ends("InvalidArgument", string.Empty)),
        ["fake-header.png"] = (Expected.Ends("InvalidArgument", string.Empty), Expected.Ends("InvalidArgument", string.Empty)),
        ["fake-header.ts"] = (Expected.Ends("InvalidArgument", string.Empty), Expected.Ends("InvalidArgument", string.Empty)),
        ["index-at-end.mp4"] = (Expected.Ends("InvalidArgument", "-movflags +faststart"), Expected.Audio(4, 4)),
        ["huge-picture.mkv"] = (Expected.Ends("ResourceExhausted", "16000x16000"), Expected.Ends("ResourceExhausted", "16000x16000")),
        ["playlist.m3u8"] = (Expected.Ends("InvalidArgument", "format not read here"), Expected.Ends("InvalidArgument", "format not read here")),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Table.Keys)
        {
            data.Add(name, "Generate");
            data.Add(name, "GenerateFromSource");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Corpus_EachInputBothWays_ClearStatusOrExactAudioThenDaemonUpAndNoChildLeft(string name, string method)
    {
        var expected = method == "Generate" ? Table[name].Bytes : Table[name].Source;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var outcome = method == "Generate"
            ? await DaemonCalls.GenerateOutcomeAsync(corpus.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), corpus.PathOf(name)), limit.Token)
            : await DaemonCalls.GenerateFromSourceOutcomeAsync(corpus.Address, new SourceRequest { Source = corpus.PathOf(name), Config = DaemonCalls.Config() }, limit.Token);

        if (expected.Status is { } status)
        {
            Assert.True(status == outcome.Status, $"{name} by {method}: expected {status}, got {outcome.Status} {outcome.Detail}");
            Assert.Contains(expected.DetailPart, outcome.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain('\n', outcome.Detail);
            Assert.True(outcome.Elapsed < StatusWithin, $"{name} by {method}: the status came after {outcome.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            Assert.True(outcome.Status == "OK", $"{name} by {method}: expected audio, got {outcome.Status} {outcome.Detail}");
            var summary = outcome.Summary!;
            var seconds = summary.DurationUs / 1e6;
            Assert.InRange(seconds, expected.MinSeconds, expected.MaxSeconds);
            Assert.Equal((long)Math.Round(seconds * 16000), outcome.SamplesReceived);
            Assert.Equal((ulong)outcome.SamplesReceived, summary.TotalSamples);
            Assert.Equal(expected.Truncated, summary.InputTruncated);
            Assert.Equal(expected.Truncated, summary.InputWarning.Length > 0);
            Assert.Equal((uint)expected.Discontinuities, summary.TimestampDiscontinuities);
        }

        Assert.Equal("builtin", (await DaemonCalls.GetInfoAsync(corpus.Address)).DefaultModelSet);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DetectScenes_TruncatedFile_OkAfterTheScenesOfWhatDecodedWithTheWarningTrailer()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var channel = DaemonChannel.Create(corpus.Address);
        using var call = new V2AStreamApi.V2AStreamClient(channel).DetectScenes(new SourceRequest { Source = corpus.PathOf("tail-cut-faststart.mp4"), Config = DaemonCalls.Config() }, cancellationToken: limit.Token);

        var scenes = new List<SceneEvent>();
        await foreach (var scene in call.ResponseStream.ReadAllAsync(limit.Token))
        {
            scenes.Add(scene);
        }

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        var last = Assert.Single(scenes, s => s.Final && s.EndUs == scenes.Max(e => e.EndUs));
        Assert.InRange(last.EndUs / 1e6, 1, 9);
        Assert.False(string.IsNullOrWhiteSpace(call.GetTrailers().GetValue("v2a-input-warning")));
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A status (and a part of its detail), or audio whose duration lies in a range.</summary>
    private sealed record Expected(string? Status, string DetailPart, double MinSeconds, double MaxSeconds, bool Truncated, int Discontinuities)
    {
        public static Expected Ends(string status, string detailPart) => new(status, detailPart, 0, 0, false, 0);

        public static Expected Audio(double minSeconds, double maxSeconds, bool truncated = false, int discontinuities = 0) =>
            new(null, string.Empty, minSeconds, maxSeconds, truncated, discontinuities);
    }
}
