using V2AStream.Client;
using V2AStream.Protos.V1;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Client;

/// <summary>The live-pipe source (what <c>v2a stream -</c> sends) against a real daemon.</summary>
public sealed class LivePipeSourceTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Run_MpegTsOnAPipe_EveryByteReachesTheDaemonAndTheAudioIsExact()
    {
        var client = new StreamClient(
            new StreamClientOptions
            {
                Server = daemon.Address,
                Config = new StreamConfig { Output = new OutputConfig { Encoding = AudioEncoding.PcmF32Le, SampleRate = 16000, Channels = 1 } },
            },
            TimeProvider.System);
        await using var pipe = new LivePipeSource(File.OpenRead(daemon.Ts), client, TimeProvider.System);
        var stream = new ReconnectingStream(pipe, null);

        long samples = 0;
        StreamSummary? summary = null;
        await foreach (var item in stream.RunAsync(CancellationToken.None))
        {
            samples += item.Response.Audio?.Data.Length / 4 ?? 0;
            summary = item.Response.Summary ?? summary;
        }

        Assert.Equal(60 * 16000L, samples);
        Assert.Equal(60 * 16000UL, summary!.TotalSamples);
        Assert.Equal(0, stream.Reconnects);
    }
}
