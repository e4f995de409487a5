using V2AStream.Core.Pipeline;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Pipeline;

/// <summary>4 fps, lookahead 2, 16 kHz, 0.2 s jitter buffer: the chunk ending at e is due at origin + e + 0.25 + 0.2.</summary>
public sealed class LiveOutputPacerTests
{
    private const int SampleRate = 16000;
    private readonly ScriptedTimeProvider _clock = new();
    private readonly FrameArrivals _arrivals = new();

    [Fact]
    public void HoldFor_NoFrameYet_SendsAtOnce()
    {
        Assert.Equal(TimeSpan.Zero, Pacer().HoldFor(SampleRate / 2));
    }

    [Fact]
    public void HoldFor_ChunkReadyEarly_HeldUntilItsSlotOnTheSteadySchedule()
    {
        var pacer = Pacer();
        ArriveAt(frames: 4, offsetSeconds: 10);
        _clock.Set(10.6);

        // Chunk [0, 0.5 s): decided by frame 3 (0.75 s), due at 10 + 0.75 + 0.2.
        Assert.Equal(0.35, pacer.HoldFor(SampleRate / 2).TotalSeconds, 6);
    }

    [Fact]
    public void HoldFor_JitteryArrivals_EveryChunkLeavesTheSameTimeAfterItsMedia()
    {
        var pacer = Pacer();
        var jitter = new[] { 0.0, 0.12, 0.03, 0.15, 0.07, 0.01, 0.14, 0.09 };
        var departures = new List<double>();
        for (var frame = 0; frame < 40; frame++)
        {
            var arrival = 10 + (frame / 4.0) + jitter[frame % jitter.Length];
            _arrivals.Record(frame, Microseconds(arrival));
            _clock.Set(arrival);

            // Chunks of 0.5 s become ready when the frame 0.25 s past their end arrives (lookahead 2).
            if (frame % 2 == 1 && frame >= 3)
            {
                var endSample = (long)((frame - 1) / 4.0 * SampleRate);
                departures.Add(arrival + pacer.HoldFor(endSample).TotalSeconds - (endSample / (double)SampleRate));
            }
        }

        // Media end to departure is constant: a player starting with the first chunk never waits for a later one.
        Assert.All(departures, d => Assert.Equal(departures[0], d, 6));
        Assert.Equal(10 + 0.25 + 0.2, departures[0], 6);
    }

    [Fact]
    public void HoldFor_ChunkLate_ScheduleMovesBackByTheLateness()
    {
        var pacer = Pacer();
        ArriveAt(frames: 4, offsetSeconds: 10);
        _clock.Set(11.5);
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(SampleRate / 2));

        // 0.55 s late for [0, 0.5 s); the next chunk keeps that spacing instead of leaving at once.
        _clock.Set(11.6);
        Assert.Equal(0.4, pacer.HoldFor(SampleRate).TotalSeconds, 6);
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
        Assert.Equal(TimeSpan.Zero, pacer.HoldFor(98 * SampleRate / 4));
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
