namespace V2AStream.Client;

/// <summary>
/// A call of a reconnecting stream that broke: its status (as gRPC names it, or the exception's type), where the stream's
/// audio stood (seconds on the stream's clock), and how much audio was lost before a new call's audio went on (filled with
/// silence; 0 when a new call resumed where the audio stood, or until one has).
/// </summary>
internal sealed record StreamInterruption(string Status, double ReachedSeconds)
{
    public double LostSeconds { get; set; }

    /// <summary>True once a new call has delivered audio after it.</summary>
    public bool Resumed { get; set; }
}
