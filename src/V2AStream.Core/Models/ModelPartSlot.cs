namespace V2AStream.Core.Models;

/// <summary>
/// A named place for a part in a model set's manifest (the top-level key, e.g. "embedder") and whether every set must
/// fill it. The pipeline's three slots are here; a slot for an optional part is declared by its kinds. Immutable.
/// </summary>
/// <param name="Name">The manifest key.</param>
/// <param name="Required">Whether a manifest without it is invalid.</param>
public sealed record ModelPartSlot(string Name, bool Required)
{
    /// <summary>Frames to vectors (<see cref="Embedding.IFrameEmbedder"/>).</summary>
    public static ModelPartSlot Embedder { get; } = new("embedder", true);

    /// <summary>A scene's mean embedding to a sound condition (<see cref="Mapping.IConditionMapper"/>).</summary>
    public static ModelPartSlot Mapper { get; } = new("mapper", true);

    /// <summary>A condition to audio (<see cref="Generation.IAudioGenerator"/>).</summary>
    public static ModelPartSlot Generator { get; } = new("generator", true);

    /// <summary>The slots a stream uses (embedder, mapper, generator): what the daemon and <c>v2a run</c> load, leaving
    /// out optional parts such as the audio_embedder that only <c>v2a dataset</c> needs.</summary>
    public static IReadOnlyList<ModelPartSlot> Pipeline { get; } = [Embedder, Mapper, Generator];

    public override string ToString() => Name;
}
