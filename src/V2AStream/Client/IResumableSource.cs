namespace V2AStream.Client;

/// <summary>What a reconnecting stream sends: the first call, and new calls that go on from where the stream stood.</summary>
internal interface IResumableSource
{
    /// <summary>
    /// Opens the first call (<paramref name="reachedSeconds"/> null) or a new one after a broken call, when the audio
    /// received so far reached <paramref name="reachedSeconds"/> on the stream's clock.
    /// </summary>
    Task<ResumedCall> OpenAsync(double? reachedSeconds, CancellationToken cancellationToken);
}
