using V2AStream.Core.Models;

namespace V2AStream.Core.Embedding;

/// <summary>
/// The model set's optional audio tower (the <see cref="Slot"/> part; CLAP's audio tower for the real set): fixed windows
/// of mono waveform, <see cref="WindowSamples"/> values at <see cref="SampleRate"/> Hz each, to one <see cref="Dim"/>-long
/// embedding per window (as the model gives it, not normalized). <c>v2a dataset</c> uses it to make the mapper's training
/// targets. Implementations are thread-safe.
/// </summary>
public interface IAudioEmbedder : IDisposable
{
    /// <summary>The manifest slot of the part: "audio_embedder", optional.</summary>
    static ModelPartSlot Slot { get; } = new("audio_embedder", Required: false);

    string Name { get; }

    int SampleRate { get; }

    /// <summary>Samples per window; every window given to <see cref="EmbedAsync"/> has exactly this many.</summary>
    int WindowSamples { get; }

    int Dim { get; }

    /// <summary>Windows per model run.</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Embeds <paramref name="windows"/> ([count, <see cref="WindowSamples"/>], row after row) into
    /// <paramref name="embeddings"/> ([count, <see cref="Dim"/>]).
    /// </summary>
    Task EmbedAsync(ReadOnlyMemory<float> windows, Memory<float> embeddings, CancellationToken cancellationToken);
}
