namespace V2AStream.Tests.Cli;

/// <summary>
/// Tests that run after every parallel collection, one at a time, because they watch a child process's terminal or
/// timing: <see cref="ProgressDisplayTests"/> (a pseudo-terminal) and <see cref="InterruptTests"/> (Ctrl-C on
/// <c>run -</c> once a second of audio is in its file). The Ctrl-C test was skipped for a while: in three full-suite
/// runs on a machine at load average 30 to 60 the second of audio did not come within the run's 30 s stall limit; it
/// passes alone, beside busy loops, and in full-suite runs on a machine not shared with other test runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
