namespace V2AStream.Core.Relay;

/// <summary>How a <see cref="LiveSourceReader"/> runs its ffmpeg child.</summary>
public sealed record LiveSourceReaderOptions
{
    /// <summary>The ffmpeg program (name on PATH or a path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>
    /// A connection that delivers no byte for this long (from its start, too) is given up: ffmpeg's own socket timeout
    /// and the reader's both use it.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long ffmpeg gets to stop after 'q' before its tree is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lines of ffmpeg's stderr kept for error messages.</summary>
    public int StderrTailLines { get; init; } = 24;
}
