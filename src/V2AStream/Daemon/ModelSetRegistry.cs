using System.Diagnostics;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Models;

namespace V2AStream.Daemon;

/// <summary>
/// The model sets the daemon serves, loaded through its one <see cref="ModelSetLoader"/> (so on the device its settings
/// name) on first use and then shared by all streams (with each set's one generation scheduler). The daemon asks for the
/// default set before it listens, so a broken default stops it at once. A load runs outside any request, under the registry's own cancellation (the daemon's stop): a
/// request waits for it with its own token, so a client that leaves stops waiting without cancelling the load for the
/// others. A load that fails is logged and forgotten, so the next request for that set tries again. Thread-safe.
/// </summary>
internal sealed class ModelSetRegistry : IAsyncDisposable
{
    private readonly ModelSetLoader _loader;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ModelSetManifest> _manifests;
    private readonly Dictionary<string, Task<LoadedModelSet>> _loads = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>
    /// Resolves <paramref name="defaultSet"/> and checks every set the catalog lists; nothing is loaded until
    /// <see cref="GetAsync"/> (the daemon asks for the default before it listens).
    /// </summary>
    public ModelSetRegistry(ModelSetLoader loader, string defaultSet, ILogger<ModelSetRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(loader);
        _loader = loader;
        _logger = logger;
        var defaultManifest = loader.Catalog.Resolve(defaultSet);
        DefaultSet = defaultManifest.Name;
        Entries = loader.Checker.List();
        _manifests = Entries.Where(e => e.Manifest is not null).ToDictionary(e => e.Name, e => e.Manifest!, StringComparer.Ordinal);

        // A default given as a folder outside the catalog is served under its own name.
        _manifests[DefaultSet] = defaultManifest;
    }

    public string DefaultSet { get; }

    /// <summary>Every set the catalog knows, with what stopped it from loading when the daemon started.</summary>
    public IReadOnlyList<ModelSetEntry> Entries { get; }

    /// <summary>Names a stream may ask for: every set with a readable manifest (one that cannot load says why when asked for).</summary>
    public IReadOnlyCollection<string> Names => _manifests.Keys;

    /// <summary>The loader, for what GetInfo reports of ONNX Runtime.</summary>
    public ModelSetLoader Loader => _loader;

    /// <summary>
    /// The loaded set <paramref name="name"/> (one of <see cref="Names"/>), loading it if no stream has yet. Throws
    /// <see cref="ModelSetException"/> or <see cref="Onnx.OrtException"/> when it cannot load, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public Task<LoadedModelSet> GetAsync(string name, CancellationToken cancellationToken)
    {
        Task<LoadedModelSet> load;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_loads.TryGetValue(name, out load!))
            {
                var manifest = _manifests.GetValueOrDefault(name)
                    ?? throw new ModelSetException(ModelSetErrorReason.NotFound, $"No model set '{name}' is served here; use one of {string.Join(", ", Names)}.");
                load = Task.Run(() => LoadAsync(manifest), CancellationToken.None);
                _loads[name] = load;
            }
        }

        return load.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Task<LoadedModelSet>[] loads;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loads = [.. _loads.Values];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var load in loads)
        {
            LoadedModelSet set;
            try
            {
                set = await load.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Logged when it failed; nothing was kept.
                continue;
            }

            await set.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task<LoadedModelSet> LoadAsync(ModelSetManifest manifest)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var set = await _loader.LoadAsync(manifest, ModelPartSlot.Pipeline, _stopping.Token).ConfigureAwait(false);
            ModelSetLog.Loaded(_logger, manifest.Name, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return set;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _loads.Remove(manifest.Name);
            }

            if (ex is not OperationCanceledException)
            {
                ModelSetLog.LoadFailed(_logger, manifest.Name, ex.Message);
            }

            throw;
        }
    }
}
