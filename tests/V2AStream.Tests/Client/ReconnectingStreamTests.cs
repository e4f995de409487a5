using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Protos.V1;
using V2AStream.Testing;

namespace V2AStream.Tests.Client;

/// <summary>
/// The reconnect loop against scripted calls (the fault injected is the broken call): where new calls go on, what is
/// filled with silence and what is cut away, which statuses are retried. Audio: 16 kHz mono float, 0.5 s chunks.
/// </summary>
public sealed class ReconnectingStreamTests
{
    private const uint Rate = 16000;

    [Fact]
    public async Task RunAsync_CallBreaksAndTheNextGoesOnLater_SilenceForTheLostSpanExactLength()
    {
        // Call 1: 1.0 s of audio, then UNAVAILABLE. Call 2 starts 1.7 s into the stream and brings 1.0 s.
        var source = new ScriptedSource(
            new ScriptedCall(0, Chunks(2), new RpcException(new Status(StatusCode.Unavailable, "gone"))),
            new ScriptedCall(1.7, Chunks(2), null));
        var stream = new ReconnectingStream(source, Immediate());

        var items = await ReadAllAsync(stream);

        var audio = items.Where(i => i.Response.EventCase == GenerateResponse.EventOneofCase.Audio).ToList();
        Assert.Equal([0L, 500_000, 1_000_000, 1_700_000, 2_200_000], audio.Select(i => i.Response.Audio.StartUs));
        Assert.Equal(11200, audio[2].Response.Audio.Data.Length / 4);
        Assert.All(MemoryMarshalFloats(audio[2].Response.Audio), s => Assert.Equal(0f, s));
        Assert.Same(stream.Interruptions[0], audio[2].FillsGapOf);
        Assert.Equal(43200, audio.Sum(i => i.Response.Audio.Data.Length / 4));
        Assert.Equal([null, 1.0], source.Opened);
        Assert.Equal(1, stream.Reconnects);
        Assert.Equal("Unavailable", stream.Interruptions[0].Status);
        Assert.Equal(0.7, stream.Interruptions[0].LostSeconds, 6);
        Assert.True(stream.Interruptions[0].Resumed);
        Assert.Equal(2.7, stream.ReachedSeconds, 6);
    }

    [Fact]
    public async Task RunAsync_NextCallStartsBeforeWhereTheAudioStood_OverlapCutNoSilence()
    {
        // A file resumed from the keyframe at 0.8 s: its first 0.2 s are audio the stream already has.
        var source = new ScriptedSource(
            new ScriptedCall(0, Chunks(2), new RpcException(new Status(StatusCode.Cancelled, "reset by the proxy"))),
            new ScriptedCall(0.8, Chunks(2), null));
        var stream = new ReconnectingStream(source, Immediate());

        var audio = (await ReadAllAsync(stream)).Where(i => i.Response.EventCase == GenerateResponse.EventOneofCase.Audio).ToList();

        Assert.All(audio, i => Assert.Null(i.FillsGapOf));
        Assert.Equal([0L, 500_000, 1_000_000, 1_300_000], audio.Select(i => i.Response.Audio.StartUs));
        Assert.Equal(4800, audio[2].Response.Audio.Data.Length / 4);
        Assert.Equal(0.2, MemoryMarshalFloats(audio[2].Response.Audio)[0], 6);
        Assert.Equal(28800, audio.Sum(i => i.Response.Audio.Data.Length / 4));
        Assert.Equal(0, stream.Interruptions[0].LostSeconds);
    }

    [Fact]
    public async Task RunAsync_ServerRefuses_NotRetriedTheStatusIsThrown()
    {
        var source = new ScriptedSource(new ScriptedCall(0, Chunks(1), new RpcException(new Status(StatusCode.InvalidArgument, "bad media"))));
        var stream = new ReconnectingStream(source, Immediate());

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(stream));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Single(source.Opened);
        Assert.Equal(0, stream.Reconnects);
    }

    [Fact]
    public async Task RunAsync_NoPolicy_FirstBrokenCallEndsTheStream()
    {
        var source = new ScriptedSource(new ScriptedCall(0, Chunks(1), new RpcException(new Status(StatusCode.Unavailable, "gone"))));
        var stream = new ReconnectingStream(source, null);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(stream));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Single(source.Opened);
    }

    [Fact]
    public async Task RunAsync_EveryCallBreaksBeforeAudio_GivesUpWhenTheOutageIsTooLongWithTheLastStatus()
    {
        var broken = Enumerable.Range(0, 100).Select(_ => new ScriptedCall(0, [], new RpcException(new Status(StatusCode.Unavailable, "no daemon")))).ToArray();
        var source = new ScriptedSource(broken);
        var policy = new ReconnectPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(200), TimeProvider.System);
        var stream = new ReconnectingStream(source, policy);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(stream));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        // Stopped by the 200 ms outage window, not by running out of the 100 scripted calls; how many 10 ms waits fit in
        // the window is the machine's timers' business, so only the bounds are asserted.
        Assert.InRange(source.Opened.Count, 2, broken.Length - 1);
        Assert.Equal(source.Opened.Count - 1, stream.Reconnects);
        Assert.Single(stream.Interruptions);
        Assert.False(stream.Interruptions[0].Resumed);
    }

    [Fact]
    public void IsRetryable_TransportEndingsYesServerAnswersAndOwnCancellationNo()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Unavailable, "")), CancellationToken.None));
        Assert.True(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Cancelled, "")), CancellationToken.None));
        Assert.False(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Cancelled, "")), cancelled.Token));
        Assert.True(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Internal, "", new IOException("reset"))), CancellationToken.None));
        Assert.False(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Internal, "bug")), CancellationToken.None));
        Assert.False(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.ResourceExhausted, "")), CancellationToken.None));
        Assert.False(ReconnectPolicy.IsRetryable(new RpcException(new Status(StatusCode.Unauthenticated, "")), CancellationToken.None));
    }

    [Fact]
    public void NextDelay_DoublesUpToTheCapAndGivesUpAfterTheWindow()
    {
        var clock = new ScriptedTimeProvider();
        var policy = new ReconnectPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), clock);

        var delays = Enumerable.Range(0, 6).Select(_ => policy.NextDelay()!.Value.TotalMilliseconds).ToList();
        clock.Set(2.5);
        var last = policy.NextDelay();
        clock.Set(3);

        Assert.Equal([100.0, 200, 400, 800, 1000, 1000], delays);
        Assert.Equal(TimeSpan.FromSeconds(0.5), last);
        Assert.Null(policy.NextDelay());
    }

    /// <summary>Retries at once, for as long as the script has calls.</summary>
    private static ReconnectPolicy Immediate() => new(TimeSpan.Zero, TimeSpan.Zero, null, new ScriptedTimeProvider());

    private static async Task<List<ResumableItem>> ReadAllAsync(ReconnectingStream stream)
    {
        var items = new List<ResumableItem>();
        await foreach (var item in stream.RunAsync(CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>Chunks of 0.5 s from media time 0; each sample's value is its own media time in seconds.</summary>
    private static List<GenerateResponse> Chunks(int count) => Enumerable.Range(0, count).Select(k =>
    {
        var samples = Enumerable.Range(0, (int)Rate / 2).Select(i => (float)((k * (Rate / 2)) + i) / Rate).ToArray();
        var bytes = new byte[samples.Length * 4];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        return new GenerateResponse
        {
            Audio = new AudioChunk { StartUs = k * 500_000, DurationUs = 500_000, SampleRate = Rate, Channels = 1, Encoding = AudioEncoding.PcmF32Le, Data = ByteString.CopyFrom(bytes) },
        };
    }).ToList();

    private static float[] MemoryMarshalFloats(AudioChunk chunk) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(chunk.Data.Span).ToArray();

    private sealed record ScriptedCall(double Offset, IReadOnlyList<GenerateResponse> Responses, Exception? EndsWith);

    private sealed class ScriptedSource(params ScriptedCall[] calls) : IResumableSource
    {
        public List<double?> Opened { get; } = [];

        public Task<ResumedCall> OpenAsync(double? reachedSeconds, CancellationToken cancellationToken)
        {
            var call = calls[Opened.Count];
            Opened.Add(reachedSeconds);
            return Task.FromResult(new ResumedCall(PlayAsync(call, cancellationToken), call.Offset));
        }

        private static async IAsyncEnumerable<GenerateResponse> PlayAsync(ScriptedCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var response in call.Responses)
            {
                await Task.Yield();
                yield return response;
            }

            if (call.EndsWith is not null)
            {
                throw call.EndsWith;
            }
        }
    }
}
