namespace V2AStream.Tests.Cli;

/// <summary>
/// Tests that run after every parallel collection, one at a time, because they watch a child process's terminal or
/// timing. <see cref="ProgressDisplayTests"/> needs the progress line drawn at least once before a 12 s clip is
/// embedded, which a loaded machine can miss. Ctrl-C on <c>run -</c> (<see cref="InterruptTests"/>) waits for a second
/// of audio in the run's temporary WAV before it interrupts it: in three full-suite runs that second did not come
/// within the run's 30 s stall limit (after 46 of 48 frames), even when run here after the parallel collections; it
/// comes within 3 s when the test runs alone, under `./v2a test --filter`, and beside four busy loops (a hand run wrote
/// 320 KiB of WAV in 6 s). The cause is not found, so that test is skipped with this as its reason.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
