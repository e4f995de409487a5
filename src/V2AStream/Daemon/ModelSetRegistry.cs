using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;

namespace V2AStream.Daemon;

/// <summary>
/// The model sets the daemon serves: every set the catalog can load, built on first use and then shared by
/// all streams (their parts are thread-safe). The default set is built at start-up so a broken default fails
/// the daemon at once, not its first client. Every ONNX session is opened with one <see cref="OrtSessionFactory"/>,
/// so on the device the daemon's settings name. Thread-safe.
/// </summary>
internal sealed class ModelSetRegistry : IDisposable
{
    private readonly ModelSetCatalog _catalog;
    private readonly Dictionary<string, Lazy<PipelineComponents>> _sets = new(StringComparer.Ordinal);

    public ModelSetRegistry(ModelSetCatalog catalog, OrtSessionFactory? sessions, string defaultSet)
    {
        _catalog = catalog;
        Sessions = sessions;
        var defaultManifest = catalog.Resolve(defaultSet);
        DefaultSet = defaultManifest.Name;
        Entries = catalog.List(sessions);
        foreach (var entry in Entries.Where(e => e.CanLoad && e.Manifest is not null))
        {
            var manifest = entry.Manifest!;
            _sets[entry.Name] = new Lazy<PipelineComponents>(() => PipelineComponents.Create(manifest, _catalog, Sessions), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        // A default given as a folder outside the catalog is served under its own name.
        _sets[DefaultSet] = new Lazy<PipelineComponents>(PipelineComponents.Create(defaultManifest, catalog, sessions));
    }

    public string DefaultSet { get; }

    /// <summary>Every set the catalog knows, with what stops it from loading.</summary>
    public IReadOnlyList<ModelSetEntry> Entries { get; }

    /// <summary>Names a stream may ask for.</summary>
    public IReadOnlyCollection<string> Names => _sets.Keys;

    /// <summary>Opens the sets' ONNX models on the daemon's device; null when ONNX Runtime could not be loaded.</summary>
    public OrtSessionFactory? Sessions { get; }

    /// <summary>The parts of set <paramref name="name"/> (one of <see cref="Names"/>); throws <see cref="ModelSetException"/> when they cannot be built.</summary>
    public PipelineComponents Get(string name) => _sets[name].Value;

    public void Dispose()
    {
        foreach (var set in _sets.Values.Where(s => s.IsValueCreated))
        {
            set.Value.Dispose();
        }
    }
}
