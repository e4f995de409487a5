using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2AStream.Core.Media;

/// <summary>
/// Asks ffprobe what a file or URL holds (<c>-print_format json -show_format -show_streams</c>), within the reader's
/// probe size and stall timeout. Pipes cannot be probed without consuming them: <see cref="ProbeAsync"/> returns null.
/// </summary>
public sealed class MediaProber
{
    private const int MaxOutputBytes = 4 << 20;
    private readonly FrameReaderOptions _options;
    private readonly ILogger _logger;

    public MediaProber(FrameReaderOptions options, ILogger<MediaProber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The probe of <paramref name="source"/>, or null when it is a pipe; throws <see cref="MediaException"/> when ffprobe fails.</summary>
    public async Task<ProbeInfo?> ProbeAsync(MediaSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanProbe)
        {
            return null;
        }

        if (source.Kind == MediaSourceKind.File && source.OpenedFile is null && !File.Exists(source.Location))
        {
            throw new MediaException(MediaErrorReason.NotFound, $"{source.Location} does not exist. Check the path.", source.Location);
        }

        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error",
            "-probesize", _options.ProbeSizeBytes.ToString(CultureInfo.InvariantCulture),
            .. source.Kind == MediaSourceKind.Url ? ["-rw_timeout", ((long)_options.StallTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            "-protocol_whitelist", source.ProtocolWhitelist,
            .. source.FormatWhitelist is { } formats ? ["-format_whitelist", formats] : Array.Empty<string>(),
            "-print_format", "json", "-show_format", "-show_streams",
            source.InputArgument,
        ];

        await using var process = await FfmpegProcess.StartAsync(_options.FfprobePath, arguments, stdinCarriesMedia: false, _options.StderrTailLines, source.Location, _logger, _options.MemoryLimitBytes, source.OpenedFile).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StallTimeout);
        byte[] output;
        int exitCode;
        try
        {
            output = await ReadBoundedAsync(process.StandardOutput, timeout.Token).ConfigureAwait(false);
            exitCode = await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorReason.Stalled, $"ffprobe got no answer from {source.Location} within {_options.StallTimeout.TotalSeconds:0.###} s. Check the source.", source.Location, UrlRedaction.Redact(process.Tail.ToString()));
        }

        _logger.ProcessExited("ffprobe", process.Id, exitCode, 0);
        if (exitCode != 0)
        {
            throw MediaErrorClassifier.Classify(source, exitCode, process.Tail, bytesFed: 0, framesRead: 0, program: "ffprobe")!;
        }

        return Parse(output, source.Location);
    }

    internal static ProbeInfo Parse(ReadOnlySpan<byte> json, string input)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var format = root.TryGetProperty("format", out var f) ? f : default;
            var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToArray() : [];
            var video = streams.FirstOrDefault(x => String(x, "codec_type") == "video" && !IsAttachedPicture(x));
            var hasVideo = video.ValueKind == JsonValueKind.Object;
            return new ProbeInfo
            {
                FormatName = format.ValueKind == JsonValueKind.Object ? String(format, "format_name") ?? "unknown" : "unknown",
                DurationSeconds = format.ValueKind == JsonValueKind.Object ? Number(String(format, "duration")) : null,
                HasVideo = hasVideo,
                HasAudio = streams.Any(x => String(x, "codec_type") == "audio"),
                VideoCodec = hasVideo ? String(video, "codec_name") : null,
                Width = hasVideo && video.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
                Height = hasVideo && video.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
                FrameRate = hasVideo ? Rate(String(video, "avg_frame_rate")) ?? Rate(String(video, "r_frame_rate")) : null,
                Rotation = hasVideo ? Rotation(video) : 0,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new MediaException(MediaErrorReason.Failed, $"ffprobe's answer for {input} could not be read: {ex.Message}", input, innerException: ex);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxOutputBytes)
            {
                throw new InvalidDataException($"ffprobe wrote more than {MaxOutputBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    private static int Rotation(JsonElement video)
    {
        // ffmpeg 5+ reports the display matrix as side data; older versions as a "rotate" tag.
        if (video.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var r) && r.ValueKind == JsonValueKind.Number)
                {
                    return (int)Math.Round(r.GetDouble());
                }
            }
        }

        return video.TryGetProperty("tags", out var tags) && Number(String(tags, "rotate")) is { } rotate ? (int)rotate : 0;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static double? Rate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Number(text);
        }

        return Number(text[..slash]) is { } numerator && Number(text[(slash + 1)..]) is { } denominator && denominator != 0 && numerator != 0
            ? numerator / denominator
            : null;
    }
}
