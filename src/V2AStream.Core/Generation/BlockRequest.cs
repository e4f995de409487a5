namespace V2AStream.Core.Generation;

/// <summary>
/// One block to generate: its condition, its multiple k (2.56·k s of audio) and its noise seed. With a
/// <paramref name="Continuation"/> it belongs to a scene whose blocks follow each other 2.5·k s apart: the first block
/// generated with it starts the scene's sound, and each later one continues it from the previous block's nominal end
/// (when the generator <see cref="IAudioGenerator.ContinuesScenes"/>; others ignore it).
/// </summary>
public sealed record BlockRequest(ReadOnlyMemory<float> Condition, int Multiple, long Seed, BlockContinuation? Continuation = null);
