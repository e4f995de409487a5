namespace V2AStream.Core.Media;

/// <summary>Turns ffmpeg's exit and stderr into a <see cref="MediaException"/> a user can act on.</summary>
internal static class MediaErrorClassifier
{
    // Phrases from libavformat/libavcodec/fftools messages (ffmpeg 4.x to 7.x), matched case-insensitively.
    private static readonly string[] UnreachablePhrases =
    [
        "Connection refused", "Connection timed out", "Connection reset", "Network is unreachable", "No route to host",
        "Failed to resolve hostname", "Name or service not known", "Server returned 4", "Server returned 5",
        "HTTP error", "Operation timed out", "Protocol not found", "I/O error",
    ];

    private static readonly string[] NoVideoPhrases =
    [
        "matches no streams", "does not contain any stream", "Output file is empty", "no video stream",
    ];

    private static readonly string[] UnsupportedCodecPhrases =
    [
        "Decoder (codec", "Unsupported codec", "unknown codec", "could not find codec parameters", "Error while opening decoder",
    ];

    private static readonly string[] OutOfMemoryPhrases = ["Cannot allocate memory", "Out of memory", "Could not allocate"];

    private static readonly string[] TruncatedPhrases = ["partial file", "moov atom not found", "Truncating packet", "End of file"];

    private static readonly string[] CorruptPhrases =
    [
        "Invalid NAL", "corrupt", "error while decoding", "Error splitting the input into NAL units", "concealing",
        "Invalid data found when processing input", "decode_slice_header error", "missing picture",
    ];

    /// <summary>The failure of a run that exited with <paramref name="exitCode"/> (0 included: a clean exit can still be truncated).</summary>
    public static MediaException? Classify(MediaSource source, int exitCode, StderrTail tail, long bytesFed, int framesRead, string program = "ffmpeg", long? maxPixels = null)
    {
        var lines = tail.Lines;
        var text = string.Join('\n', lines);
        // ffmpeg's words can repeat the URL it was given, secrets and all.
        var tailText = UrlRedaction.Redact(tail.ToString());
        var input = source.Location;
        var reason = UrlRedaction.Redact(LastMeaningfulLine(lines, source.InputArgument));

        if (exitCode == 0)
        {
            // ffmpeg exits 0 at the end of a cut-off file after saying so; frames up to the cut were delivered.
            return Contains(text, "partial file")
                ? new MediaException(MediaErrorReason.Truncated, $"{input} ends early (truncated) after {framesRead} frames: {reason}. Re-copy or re-export the file.", input, tailText, framesRead)
                : null;
        }

        // Before any other reading of the tail: a child that hit its bounds fails in many ways (decode errors, EOF).
        if (PixelLimitLine(lines) is { } size)
        {
            var limit = maxPixels is { } pixels ? $" of {pixels} pixels" : string.Empty;
            return new MediaException(MediaErrorReason.ResourceLimit, $"{input} has {size} pictures, over this server's limit{limit}: scale the video down.", input, tailText, framesRead);
        }

        if (ContainsAny(text, OutOfMemoryPhrases))
        {
            return new MediaException(MediaErrorReason.ResourceLimit, $"{program} ran out of its memory bound decoding {input} after {framesRead} frames ({reason}): scale the video down, or raise the server's child memory limit.", input, tailText, framesRead);
        }

        if (FormatRefusedLine(lines) is { } refusedFormat)
        {
            return new MediaException(MediaErrorReason.FormatRefused, $"{input} is in a format not read here ({refusedFormat}: it can name other files or URLs, or is no video container): send a plain container such as MP4, Matroska or MPEG-TS.", input, tailText, framesRead);
        }

        if (source.Kind == MediaSourceKind.Stream && bytesFed == 0)
        {
            return new MediaException(MediaErrorReason.Empty, $"{input} is empty: no bytes arrived. Send a video (mpegts, matroska/webm, fragmented mp4, flv...).", input, tailText, framesRead);
        }

        if (source.Kind == MediaSourceKind.Url && ContainsAny(text, UnreachablePhrases))
        {
            return new MediaException(MediaErrorReason.Unreachable, $"Cannot reach {input}: {reason}. Check the URL and that the server is up.", input, tailText, framesRead);
        }

        if (ContainsAny(text, NoVideoPhrases))
        {
            return new MediaException(MediaErrorReason.NoVideoStream, $"{input} has no video stream. Give a file or stream with video.", input, tailText, framesRead);
        }

        if (Contains(text, "Cannot determine format of input stream") && source.Kind == MediaSourceKind.Stream)
        {
            return new MediaException(MediaErrorReason.NotStreamable, $"{input} cannot be read from a pipe ({reason}): an MP4 must be faststart or fragmented; remux with 'ffmpeg -i IN -c copy -movflags +faststart OUT' or send mpegts/matroska.", input, tailText, framesRead);
        }

        if (ContainsAny(text, UnsupportedCodecPhrases))
        {
            return new MediaException(MediaErrorReason.UnsupportedCodec, $"{input} uses a codec this ffmpeg cannot decode: {reason}. Re-encode it (e.g. to H.264).", input, tailText, framesRead);
        }

        if (framesRead == 0 && Contains(text, "moov atom not found") && StartsLikeIsoMedia(source))
        {
            return new MediaException(MediaErrorReason.Truncated, $"{input} is truncated: {reason} (the MP4 index is missing). Re-copy or re-export the file.", input, tailText, framesRead);
        }

        if (framesRead == 0 && (Contains(text, "Invalid data found when processing input") || Contains(text, "moov atom not found")))
        {
            return new MediaException(MediaErrorReason.NotVideo, $"{input} is not a video ffmpeg can read: {reason}.", input, tailText, framesRead);
        }

        if (source.Kind == MediaSourceKind.Url && framesRead == 0)
        {
            return new MediaException(MediaErrorReason.Unreachable, $"Cannot open {input}: {reason}. Check the URL and that the server is up.", input, tailText, framesRead);
        }

        if (ContainsAny(text, TruncatedPhrases))
        {
            return new MediaException(MediaErrorReason.Truncated, $"{input} ends early (truncated) after {framesRead} frames: {reason}.", input, tailText, framesRead);
        }

        if (ContainsAny(text, CorruptPhrases))
        {
            return new MediaException(MediaErrorReason.Corrupt, $"{input} is damaged after {framesRead} frames: {reason}.", input, tailText, framesRead);
        }

        return new MediaException(MediaErrorReason.Failed, $"{program} failed on {input} (exit code {exitCode}) after {framesRead} frames: {reason}.", input, tailText, framesRead);
    }

    /// <summary>"16000x16000" when ffmpeg refused a picture over -max_pixels, else null.</summary>
    private static string? PixelLimitLine(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            var at = line.IndexOf("Picture size ", StringComparison.Ordinal);
            if (at >= 0 && line.Contains("exceeds specified max pixel count", StringComparison.Ordinal))
            {
                var size = line[(at + "Picture size ".Length)..];
                return size[..Math.Max(0, size.IndexOf(' ', StringComparison.Ordinal))];
            }
        }

        return null;
    }

    /// <summary>The demuxer ffmpeg refused under -format_whitelist ("[hls @ 0x..] Format not on whitelist ..."), or null.</summary>
    private static string? FormatRefusedLine(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            if (line.Contains("Format not on whitelist", StringComparison.Ordinal))
            {
                return line.StartsWith('[') && line.IndexOf(" @ ", StringComparison.Ordinal) is var end and > 1 ? line[1..end] : "unknown";
            }
        }

        return null;
    }

    // An MP4 whose index is missing is truncated only if it starts like one (an "ftyp" box); noise named .mp4 is not a video.
    private static bool StartsLikeIsoMedia(MediaSource source)
    {
        if (source.Kind != MediaSourceKind.File)
        {
            return true;
        }

        try
        {
            using var file = File.OpenRead(source.Location);
            Span<byte> header = stackalloc byte[8];
            return file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8 && header[4..].SequenceEqual("ftyp"u8);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string LastMeaningfulLine(IReadOnlyList<string> lines, string inputArgument)
    {
        // fftools ends with generic lines ("Conversion failed!", "To ignore this, add a trailing '?'"); the cause is before them.
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith("Conversion failed", StringComparison.Ordinal) && !line.StartsWith("To ignore this", StringComparison.Ordinal)
                && !line.StartsWith("Error marking filters", StringComparison.Ordinal))
            {
                line = StripContext(line);

                // "clip.mp4: Invalid data found..." repeats the input the message already names.
                return line.StartsWith(inputArgument + ": ", StringComparison.Ordinal) ? line[(inputArgument.Length + 2)..] : line;
            }
        }

        return "no message from ffmpeg";
    }

    // "[mov,mp4 @ 0x55aa45807940] moov atom not found" -> "moov atom not found": the address is noise to a user.
    private static string StripContext(string line) =>
        line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? line[(end + 2)..] : line;

    private static bool Contains(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);

    private static bool ContainsAny(string text, string[] phrases) => phrases.Any(p => Contains(text, p));
}
