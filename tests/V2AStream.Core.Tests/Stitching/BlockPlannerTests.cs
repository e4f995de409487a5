using V2AStream.Core.Stitching;

namespace V2AStream.Core.Tests.Stitching;

public sealed class BlockPlannerTests
{
    [Fact]
    public void PlanUntil_NoCuts_PlansBlocksEveryTwoAndAHalfSeconds()
    {
        var planner = new BlockPlanner();

        var blocks = planner.PlanUntil(100001);

        Assert.Equal(new long[] { 0, 40000, 80000 }, blocks.Select(b => b.StartSample));
        Assert.All(blocks, b => Assert.Equal(40960, b.GeneratedSamples));
    }

    [Fact]
    public void AddCut_InsideScene_NewSceneStartsAtTheCut()
    {
        var planner = new BlockPlanner(blockMultiple: 2);
        planner.AddCut(50000);

        var blocks = planner.Complete(200000);

        Assert.Equal(new[] { (0, 0L), (1, 50000L), (1, 130000L) }, blocks.Select(b => (b.SceneIndex, b.StartSample)));
        Assert.Equal(81920, blocks[0].GeneratedSamples);
    }

    [Fact]
    public void AddCut_AfterBlockWasPlanned_ReplansFromTheCut()
    {
        var planner = new BlockPlanner();
        Assert.Single(planner.PlanUntil(10));
        planner.AddCut(20000);

        var blocks = planner.PlanUntil(45000);

        Assert.Equal(new[] { (1, 20000L) }, blocks.Select(b => (b.SceneIndex, b.StartSample)));
    }

    [Fact]
    public void AddCut_InsideLastPlannedBlockBeforeItsEnd_NewSceneStartsAtTheCutRightAway()
    {
        var planner = new BlockPlanner();
        Assert.Equal(2, planner.PlanUntil(44000).Count);
        planner.AddCut(48000);

        var blocks = planner.PlanUntil(52000);

        Assert.Equal(new[] { (1, 48000L) }, blocks.Select(b => (b.SceneIndex, b.StartSample)));
    }

    [Fact]
    public void AddCut_BeforePlannedPosition_Throws()
    {
        var planner = new BlockPlanner();
        planner.PlanUntil(30000);

        Assert.Throws<ArgumentOutOfRangeException>(() => planner.AddCut(20000));
    }

    [Fact]
    public void Complete_CutAtEnd_IsDropped()
    {
        var planner = new BlockPlanner();
        planner.AddCut(30000);

        var blocks = planner.Complete(30000);

        Assert.Equal(new[] { 0L }, blocks.Select(b => b.StartSample));
    }
}
