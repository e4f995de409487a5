using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;
using V2AStream.Core.Pipeline;

namespace V2AStream.Core.Models;

/// <summary>
/// A model set's parts, built by <see cref="ModelSetLoader"/> (all of them, or the slots asked for), and the
/// <see cref="GenerationScheduler"/> every stream of the set shares when its generator is loaded. Parts are thread-safe,
/// so one instance serves every stream; whoever loaded it disposes it, which waits for the scheduler's runs and then
/// disposes the parts.
/// </summary>
public sealed class LoadedModelSet : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<ModelPartSlot, object> _parts;
    private readonly GenerationScheduler? _scheduler;

    internal LoadedModelSet(ModelSetManifest manifest, IReadOnlyDictionary<ModelPartSlot, object> parts, GenerationSchedulerOptions schedulerOptions, IPipelineMetrics? metrics)
    {
        Manifest = manifest;
        _parts = parts;
        if (parts.TryGetValue(ModelPartSlot.Generator, out var generator))
        {
            _scheduler = new GenerationScheduler((IAudioGenerator)generator, schedulerOptions, metrics);
        }
    }

    public ModelSetManifest Manifest { get; }

    public string Name => Manifest.Name;

    /// <summary>The slots that were built.</summary>
    public IReadOnlyCollection<ModelPartSlot> Slots => [.. _parts.Keys];

    public IFrameEmbedder Embedder => Get<IFrameEmbedder>(ModelPartSlot.Embedder);

    public IConditionMapper Mapper => Get<IConditionMapper>(ModelPartSlot.Mapper);

    public IAudioGenerator Generator => Get<IAudioGenerator>(ModelPartSlot.Generator);

    /// <summary>The set's one generation scheduler; present when the generator was loaded.</summary>
    public GenerationScheduler Scheduler => _scheduler ?? throw NotLoaded(ModelPartSlot.Generator);

    /// <summary>The part built for <paramref name="slot"/>; throws <see cref="InvalidOperationException"/> when the set has none there or it was not loaded.</summary>
    public T Get<T>(ModelPartSlot slot)
        where T : class =>
        TryGet<T>(slot, out var part) ? part : throw NotLoaded(slot);

    /// <summary>The part built for <paramref name="slot"/>, when there is one (an optional slot may be empty).</summary>
    public bool TryGet<T>(ModelPartSlot slot, out T part)
        where T : class
    {
        part = _parts.GetValueOrDefault(slot) as T ?? null!;
        return part is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var part in _parts.Values.OfType<IDisposable>())
        {
            part.Dispose();
        }
    }

    private InvalidOperationException NotLoaded(ModelPartSlot slot) =>
        new($"Model set '{Name}' was loaded without a {slot} (its manifest has none there, or the load asked for other parts).");
}
