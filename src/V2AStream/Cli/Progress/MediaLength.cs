using V2AStream.Core.Media;

namespace V2AStream.Cli.Progress;

/// <summary>How long a source is, for a progress display's bar and remaining time.</summary>
internal static class MediaLength
{
    /// <summary>
    /// The duration of a file source by ffprobe when a display will be drawn; null for pipes and live URLs (probing
    /// them would consume or wait on their bytes), when nothing is drawn, or when ffprobe cannot tell.
    /// </summary>
    public static async Task<double?> ForDisplayAsync(MediaSource source, TextWriter error, bool json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != MediaSourceKind.File || !TerminalProgress.Draws(error, json))
        {
            return null;
        }

        try
        {
            var probe = await new MediaProber(new FrameReaderOptions()).ProbeAsync(source, cancellationToken).ConfigureAwait(false);
            return probe?.DurationSeconds is > 0 and var seconds ? seconds : null;
        }
        catch (MediaException)
        {
            // The read itself reports what is wrong with the file.
            return null;
        }
    }
}
