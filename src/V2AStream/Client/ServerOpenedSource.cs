namespace V2AStream.Client;

/// <summary>
/// A URL the daemon opens itself (GenerateFromSource) for a reconnecting client: a new call asks again, and joins the
/// live source where it is now; its media time 0 is put at the wall time since the first call opened.
/// </summary>
internal sealed class ServerOpenedSource(string url, StreamClient client, TimeProvider time) : IResumableSource
{
    private long? _firstOpened;

    public Task<ResumedCall> OpenAsync(double? reachedSeconds, CancellationToken cancellationToken)
    {
        _firstOpened ??= time.GetTimestamp();
        var offset = reachedSeconds is null ? 0 : time.GetElapsedTime(_firstOpened.Value).TotalSeconds;
        return Task.FromResult(new ResumedCall(client.GenerateFromSourceAsync(url, cancellationToken), offset));
    }
}
