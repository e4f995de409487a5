using V2AStream.Soak;

namespace V2AStream.Tests.Soak;

public sealed class PlayoutClockTests
{
    [Fact]
    public void OnChunk_EveryChunkOnTime_NoUnderrun()
    {
        var clock = new PlayoutClock();
        for (var i = 0; i < 10; i++)
        {
            // 0.5 s chunks arriving every 0.5 s after a 1 s start-up latency.
            Assert.False(clock.OnChunk(i * 0.5, 1.0 + (i * 0.5)));
        }

        Assert.Equal(0, clock.Underruns);
        Assert.Equal(1.0, clock.FirstArrival);
    }

    [Fact]
    public void OnChunk_OneLateChunk_CountsOnceAndStallsTheClock()
    {
        var clock = new PlayoutClock();
        clock.OnChunk(0.0, 1.0);
        clock.OnChunk(0.5, 1.5);
        Assert.True(clock.OnChunk(1.0, 2.3)); // due at 2.0: 0.3 s late
        Assert.False(clock.OnChunk(1.5, 2.8)); // due at 2.5 + 0.3 stall = 2.8: on time
        Assert.False(clock.OnChunk(2.0, 3.0));
        Assert.Equal(1, clock.Underruns);
        Assert.Equal(0.3, clock.StallSeconds, 9);
    }

    [Fact]
    public void OnChunk_JitterBuffer_AbsorbsLateness()
    {
        var clock = new PlayoutClock(jitterBufferSeconds: 0.5);
        clock.OnChunk(0.0, 1.0);
        Assert.False(clock.OnChunk(0.5, 1.9)); // due at 1.0 + 0.5 + 0.5 = 2.0
        Assert.True(clock.OnChunk(1.0, 2.6));  // due at 2.5
        Assert.Equal(1, clock.Underruns);
    }

    [Fact]
    public void OnChunk_FirstChunkLate_IsNotAnUnderrun()
    {
        var clock = new PlayoutClock();
        Assert.False(clock.OnChunk(0.0, 100.0));
        Assert.Equal(0, clock.Underruns);
    }

    [Fact]
    public void OnChunk_OutOfOrder_Throws()
    {
        var clock = new PlayoutClock();
        clock.OnChunk(1.0, 1.0);
        Assert.Throws<ArgumentException>(() => clock.OnChunk(0.5, 2.0));
    }
}
