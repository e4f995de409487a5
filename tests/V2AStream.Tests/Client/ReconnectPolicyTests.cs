using V2AStream.Client;
using V2AStream.Testing;

namespace V2AStream.Tests.Client;

public sealed class ReconnectPolicyTests
{
    [Fact]
    public void NextDelay_RepeatedFailures_DoublesUpToTheCeiling()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5), giveUpAfter: null, new ScriptedTimeProvider());

        var delays = Enumerable.Range(0, 7).Select(_ => policy.NextDelay()!.Value.TotalSeconds).ToList();

        Assert.Equal([0.5, 1, 2, 4, 5, 5, 5], delays);
    }

    [Fact]
    public void NextDelay_OutageLongerThanTheWindow_GivesUpAndNeverWaitsPastIt()
    {
        var time = new ScriptedTimeProvider();
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), time);

        Assert.Equal(1, policy.NextDelay()!.Value.TotalSeconds);
        time.Set(8.5);
        Assert.Equal(1.5, policy.NextDelay()!.Value.TotalSeconds);
        time.Set(10);
        Assert.Null(policy.NextDelay());
        Assert.Equal(TimeSpan.FromSeconds(10), policy.Outage);
    }

    [Fact]
    public void Connected_AfterAnOutage_CountsAReconnectionAndStartsOver()
    {
        var time = new ScriptedTimeProvider();
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), time);
        policy.NextDelay();
        policy.Connected();
        Assert.Equal(0, policy.Reconnects);

        policy.NextDelay();
        policy.NextDelay();
        time.Set(2);
        policy.Connected();

        Assert.Equal(1, policy.Reconnects);
        Assert.Null(policy.Outage);
        time.Set(100);
        Assert.Equal(0.5, policy.NextDelay()!.Value.TotalSeconds);
    }
}
