namespace V2AStream.Core.Generation;

/// <summary>
/// The thread that runs through the blocks of one scene: a generator that continues scenes
/// (<see cref="IAudioGenerator.ContinuesScenes"/>) leaves here what the next block needs to go on from the end of this one
/// (the procedural generator its oscillators, filters, noise and parameters; AudioLDM the last latent frames), and the
/// next block of the scene starts from it instead of afresh. A stream submits a scene's blocks in order, each after the
/// one before (<see cref="GenerationLane.Submit"/>'s <c>after</c>), so one run at a time reads and writes it; the task
/// that ends a run orders its write before the next run's read.
/// </summary>
public sealed class BlockContinuation
{
    private object? _state;

    /// <summary>What the generator left after the scene's last block; null before the scene's first.</summary>
    internal object? State
    {
        get => Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, value);
    }
}
