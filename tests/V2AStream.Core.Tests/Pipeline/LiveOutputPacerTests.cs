using V2AStream.Core.Pipeline;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Pipeline;

/// <summary>
/// 4 fps, lookahead 2, 16 kHz, 0.2 s jitter buffer: the first chunk, ending at e, leaves at origin + e + 0.25 + 0.2 at
/// the earliest; a player then needs media time p at (that departure) + p - (the chunk's start).
/// </summary>
public sealed class LiveOutputPacerTests
{
    private const int SampleRate = 16000;
    private const long HalfSecond = SampleRate / 2;
    private readonly ScriptedTimeProvider _clock = new();
    private readonly FrameArrivals _arrivals = new();

    [Fact]
    public void HoldFor_NoFrameYet_SendsAtOnce()
    {
        Assert.Equal(TimeSpan.Zero, Pacer().HoldFor(0, HalfSecond));
    }

    [Fact]
    public void HoldFor_FirstChunkReadyEarly_HeldOneJitterBufferPastItsEarliestSchedule()
    {
        var pacer = Pacer();
        ArriveAt(frames: 4, offsetSeconds: 10);
        _clock.Set(10.6);

        // [0, 0.5 s) is decided by frame 3 (0.75 s): earliest at 10.75, held to 10.95.
        Assert.Equal(0.35, pacer.HoldFor(0, HalfSecond).TotalSeconds, 6);
    }

    [Fact]
    public void HoldFor_JitteryArrivals_OnlyTheFirstChunkWaitsAndNoChunkIsLateForThePlayer()
    {
        var pacer = Pacer();
        var jitter = new[] { 0.0, 0.12, 0.03, 0.15, 0.07, 0.01, 0.18, 0.09 };
        double? playerOrigin = null;
        var holds = new List<TimeSpan>();
        for (var frame = 0; frame < 80; frame++)
        {
            var arrival = 10 + (frame / 4.0) + jitter[frame % jitter.Length];
            _arrivals.Record(frame, Microseconds(arrival));
            _clock.Set(arrival);

            // A 0.5 s chunk is ready when the frame 0.25 s past its end arrives (lookahead 2).
            if (frame % 2 == 1 && frame >= 3)
            {
                var start = (long)((frame - 3) / 4.0 * SampleRate);
                var hold = pacer.HoldFor(start, start + HalfSecond);
                holds.Add(hold);
                var departure = arrival + hold.TotalSeconds;
                playerOrigin ??= departure;
                Assert.True(departure <= playerOrigin + (start / (double)SampleRate) + 1e-9, $"chunk at {start / (double)SampleRate} s is late for the player");
            }
        }

        Assert.True(holds[0] > TimeSpan.Zero);
        Assert.All(holds.Skip(1), hold => Assert.Equal(TimeSpan.Zero, hold));
    }

    [Fact]
    public void HoldFor_ChunkLateForThePlayer_HeldOneJitterBufferAndLaterChunksGetThatMargin()
    {
        var pacer = Pacer();
        ArriveAt(frames: 4, offsetSeconds: 10);
        _clock.Set(10.95);
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(0, HalfSecond));

        // The player needs [0.5, 1 s) at 11.45; it is ready at 11.7, so it rebuffers: held to 11.9.
        _clock.Set(11.7);
        Assert.Equal(0.2, pacer.HoldFor(HalfSecond, 2 * HalfSecond).TotalSeconds, 6);

        // [1, 1.5 s) is needed at 12.4 now: ready at 12.35, it goes at once.
        _clock.Set(12.35);
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(2 * HalfSecond, 3 * HalfSecond));
    }

    [Fact]
    public void HoldFor_FasterThanRealTimeInput_NeverHolds()
    {
        var pacer = Pacer();
        for (var frame = 0; frame < 400; frame++)
        {
            _arrivals.Record(frame, Microseconds(frame * 0.01));
        }

        _clock.Set(4.0);
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(0, HalfSecond));
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(HalfSecond, 2 * HalfSecond));
    }

    private LiveOutputPacer Pacer() => new(_arrivals, sampleFps: 4, lookaheadFrames: 2, SampleRate, TimeSpan.FromMilliseconds(200), _clock);

    private void ArriveAt(int frames, double offsetSeconds)
    {
        for (var frame = 0; frame < frames; frame++)
        {
            _arrivals.Record(frame, Microseconds(offsetSeconds + (frame / 4.0)));
        }
    }

    private static long Microseconds(double seconds) => (long)Math.Round(seconds * 1e6);
}
