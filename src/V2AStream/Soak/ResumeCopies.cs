using System.Collections.Concurrent;
using V2AStream.Client;

namespace V2AStream.Soak;

/// <summary>
/// The MPEG-TS copies a reconnecting soak resumes from: one per source, however many streams send it, made on first use
/// and deleted on dispose. Thread-safe.
/// </summary>
internal sealed class ResumeCopies : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<MpegTsCopy>>> _copies = new(StringComparer.Ordinal);

    public Task<MpegTsCopy> GetAsync(string source, CancellationToken cancellationToken) =>
        _copies.GetOrAdd(source, path => new Lazy<Task<MpegTsCopy>>(() => MpegTsCopy.MakeAsync(path, cancellationToken))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var copy in _copies.Values.Where(c => c.IsValueCreated && c.Value.IsCompletedSuccessfully))
        {
            await copy.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
