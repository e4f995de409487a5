using Google.Protobuf;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>An MP4 whose index is at its end is refused from its first bytes, even from a sender that then goes quiet.</summary>
[Collection(HostileCorpusCollection.Name)]
public sealed class StreamabilityTests(HostileCorpus corpus)
{
    [Fact]
    public async Task Generate_IndexAtEndMp4FromARealTimeSender_InvalidArgumentWithTheRemuxCommandWithin10Seconds()
    {
        var head = (await File.ReadAllBytesAsync(corpus.PathOf("index-at-end.mp4")))[..(64 * 1024)];
        using var hold = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var config = DaemonCalls.Config();
        config.Realtime = true;

        var outcome = await DaemonCalls.GenerateOutcomeAsync(corpus.Address, HeadThenSilence(config, head, hold.Token), hold.Token);

        Assert.Equal("InvalidArgument", outcome.Status);
        Assert.Contains("ffmpeg -i IN -c copy -movflags +faststart OUT.mp4", outcome.Detail, StringComparison.Ordinal);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"the answer took {outcome.Elapsed.TotalSeconds:F1} s (the stall timeout is 30 s)");
    }

    private static async IAsyncEnumerable<GenerateRequest> HeadThenSilence(StreamConfig config, byte[] head, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new GenerateRequest { Config = config };
        yield return new GenerateRequest { Media = ByteString.CopyFrom(head) };

        // A live sender with nothing more to send yet.
        await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}
