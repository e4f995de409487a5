using V2AStream.Onnx;

namespace V2AStream.Core.Models;

/// <summary>
/// The one way a model set is loaded (the CLI, the daemon, the tests and the benches all come here): resolves a
/// <c>--model-set</c> value in the catalog, builds each part with its kind (<see cref="IModelPartKind.Create"/>),
/// checks that the pipeline's parts fit together, and gives each set its generation scheduler. It owns ONNX Runtime on
/// its device (<see cref="ModelSetLoaderOptions.Device"/>) and the session settings, loaded when a set first needs it
/// (or at once for a device other than the CPU, so that a GPU that cannot run is reported for any set); checking goes
/// through the same sessions (<see cref="Checker"/>), so what <c>models check</c> says is what loading does.
/// Loading runs off the caller's thread and stops between parts (and between the files of a part) when cancelled.
/// Thread-safe.
/// </summary>
public sealed class ModelSetLoader
{
    private readonly Lock _gate = new();
    private OrtSessionFactory? _sessions;

    public ModelSetLoader(ModelSetCatalog catalog, ModelSetLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        Options = options ?? new ModelSetLoaderOptions();
        var problems = Options.Generation.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid generation options: {string.Join(" ", problems)}", nameof(options));
        }
    }

    public ModelSetCatalog Catalog { get; }

    public ModelSetLoaderOptions Options { get; }

    /// <summary>
    /// ONNX Runtime on the loader's device, created on first use; throws <see cref="OrtException"/> with the reason when
    /// it cannot load or the device cannot run (and tries again on the next call).
    /// </summary>
    public OrtSessionFactory Sessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions ??= OrtSessionFactory.Create(Options.Device);
            }
        }
    }

    /// <summary>A checker with this loader's catalog, sessions (none when ONNX Runtime is not available) and settings.</summary>
    public ModelSetChecker Checker => new(Catalog, TryGetSessions(), Options.SessionSettings);

    /// <summary><see cref="Sessions"/>, or null when ONNX Runtime cannot load or the device cannot run.</summary>
    public OrtSessionFactory? TryGetSessions()
    {
        try
        {
            return Sessions;
        }
        catch (OrtException)
        {
            return null;
        }
    }

    /// <summary>Resolves <paramref name="nameOrPath"/> (builtin, a name under models/, or a folder) and loads every part.</summary>
    public Task<LoadedModelSet> LoadAsync(string nameOrPath, CancellationToken cancellationToken) =>
        LoadAsync(Catalog.Resolve(nameOrPath), null, cancellationToken);

    /// <summary>Resolves <paramref name="nameOrPath"/> and loads only <paramref name="slots"/> (e.g. the embedder alone for <c>v2a embed</c>).</summary>
    public Task<LoadedModelSet> LoadAsync(string nameOrPath, IReadOnlyCollection<ModelPartSlot> slots, CancellationToken cancellationToken) =>
        LoadAsync(Catalog.Resolve(nameOrPath), slots, cancellationToken);

    /// <summary>
    /// Builds the parts of <paramref name="manifest"/> in <paramref name="slots"/> (every part when null). Throws
    /// <see cref="ModelSetException"/> naming the file, tensor or mismatch, <see cref="OrtException"/> when ONNX Runtime
    /// or the device cannot run, <see cref="OperationCanceledException"/> when cancelled (nothing built is kept).
    /// </summary>
    public Task<LoadedModelSet> LoadAsync(ModelSetManifest manifest, IReadOnlyCollection<ModelPartSlot>? slots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Task.Run(() => Load(manifest, slots, cancellationToken), cancellationToken);
    }

    private LoadedModelSet Load(ModelSetManifest manifest, IReadOnlyCollection<ModelPartSlot>? slots, CancellationToken cancellationToken)
    {
        var wanted = slots is null ? manifest.Parts : [.. manifest.Parts.Where(p => slots.Contains(p.Slot))];
        if (slots?.FirstOrDefault(slot => slot.Required && manifest.Find(slot) is null) is { } absent)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"Model set '{manifest.Name}' has no {absent}.", manifest.Directory);
        }

        var sessions = wanted.Any(p => p.Kind.NeedsOnnxRuntime) || !Options.Device.IsCpu ? Sessions : null;
        var context = new ModelPartContext(manifest, Catalog, sessions, Options.SessionSettings, cancellationToken);
        var built = new Dictionary<ModelPartSlot, object>();
        try
        {
            foreach (var part in wanted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                built[part.Slot] = part.Kind.Create(part.Spec, context);
            }

            var dimensions = wanted.ToDictionary(p => p.Slot, p => p.Kind.Dimensions(built[p.Slot]));
            if (ModelSetComposition.FindMismatch(manifest, dimensions) is { } mismatch)
            {
                throw new ModelSetException(ModelSetErrorReason.ContractMismatch, mismatch, manifest.Directory);
            }

            return new LoadedModelSet(manifest, built, Options.Generation, Options.Metrics);
        }
        catch
        {
            foreach (var part in built.Values.OfType<IDisposable>())
            {
                part.Dispose();
            }

            throw;
        }
    }
}
