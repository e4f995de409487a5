using System.Globalization;

namespace V2AStream.Core.Media;

/// <summary>
/// How much of its input ffmpeg may read to identify the streams before the first frame (its -probesize, and its
/// -analyzeduration when set). A container without a header (MPEG-TS, FLV) is analysed until one of the two bounds is
/// reached, so on a 1x live feed the bound is start-up delay: ffmpeg's default analyses 5 s of it.
/// </summary>
internal sealed record ProbeBudget(long ProbeSizeBytes, TimeSpan? AnalyzeDuration)
{
    /// <summary>ffmpeg's smallest -probesize: one packet, when the container is named and nothing needs identifying.</summary>
    public const long MinProbeSizeBytes = 32;

    /// <summary>
    /// The budgets to try for <paramref name="source"/>, smallest first; the next one is used only when the input could
    /// not be identified within the previous one. A file is on disk, so reading a lot of it costs no waiting: it gets
    /// the large budget at once. A pipe or a URL is often live: it starts small (nothing to identify when its container
    /// is named, or when it carries raw frames) and grows to the file budget.
    /// </summary>
    public static IReadOnlyList<ProbeBudget> For(MediaSource source, FrameReaderOptions options)
    {
        var large = new ProbeBudget(options.ProbeSizeBytes, AnalyzeDuration: null);
        if (source.Kind == MediaSourceKind.File)
        {
            return [large];
        }

        var small = source.Format is null && source.RawVideo is null
            ? new ProbeBudget(options.LiveProbeSizeBytes, options.LiveAnalyzeDuration)
            : new ProbeBudget(MinProbeSizeBytes, TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond));
        return [small, large];
    }

    /// <summary>The ffmpeg input options (microseconds for -analyzeduration: 0 would mean ffmpeg's default of 5 s).</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "-probesize";
        yield return ProbeSizeBytes.ToString(CultureInfo.InvariantCulture);
        if (AnalyzeDuration is { } duration)
        {
            yield return "-analyzeduration";
            yield return Math.Max(1L, (long)duration.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        }
    }
}
