using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2AStream.Core.Media;

/// <summary>
/// Decodes a <see cref="MediaSource"/> into RGB24 frames at a fixed sample rate through one ffmpeg child per read
/// (ffmpeg's fps filter makes variable-rate input constant-rate; rotation metadata is applied by ffmpeg's autorotate).
/// Before sampling, the input's timestamps are made continuous: a jump larger than
/// <see cref="FrameReaderOptions.MaxTimestampGap"/> (a splice, a wrap, a restart, a corrupted PTS) becomes a new
/// segment of the media clock one frame interval after the last, never a gap the fps filter would fill with repeated
/// frames (DESIGN.md section 3). Thread-safe: each <see cref="ReadFramesAsync(MediaSource, CancellationToken)"/> owns
/// its own child, which is always reaped, whether the enumeration completes, fails, is cancelled or is abandoned
/// (disposing the enumerator stops the child).
/// </summary>
public sealed partial class FrameReader
{
    private readonly ILogger _logger;

    public FrameReader(FrameReaderOptions options, ILogger<FrameReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public FrameReaderOptions Options { get; }

    /// <summary>The ffmpeg arguments for <paramref name="source"/> (also used by the ingest benchmark's bare ffmpeg run).</summary>
    public IReadOnlyList<string> BuildArguments(MediaSource source)
    {
        ArgumentNullException.ThrowIfNull(source);

        // Warnings too: ffmpeg says why it refused a picture over -max_pixels only at warning level.
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "warning" };
        args.AddRange(["-probesize", Options.ProbeSizeBytes.ToString(CultureInfo.InvariantCulture)]);
        if (source.Kind == MediaSourceKind.Url)
        {
            // A socket that stays silent this long fails inside ffmpeg, with the protocol's own message.
            var microseconds = (long)Options.StallTimeout.TotalMicroseconds;
            args.AddRange(["-rw_timeout", microseconds.ToString(CultureInfo.InvariantCulture)]);
            if (source.HttpProxy is { } proxy && source.UrlScheme is "http" or "https")
            {
                args.AddRange(["-http_proxy", proxy.ToString()]);
            }
        }

        args.AddRange(["-protocol_whitelist", source.ProtocolWhitelist]);
        if (source.FormatWhitelist is { } formats)
        {
            args.AddRange(["-format_whitelist", formats]);
        }

        if (source.Format is { } format)
        {
            args.AddRange(["-f", format]);
        }

        if (Options.LowDelay)
        {
            args.AddRange(["-thread_type", "slice"]);
        }

        args.AddRange(["-max_pixels", Options.MaxPixels.ToString(CultureInfo.InvariantCulture)]);

        // A picture size change mid-stream is handled by the scale filter itself: rebuilding the graph would restart
        // the continuous clock (and the fps filter) at 0, and the frames after the change would be dropped as late.
        args.AddRange(["-reinit_filter", "0"]);
        args.AddRange(["-i", source.InputArgument]);
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn"]);

        // round=up: frame k is the picture on screen at k / fps, and it is known as soon as a later picture arrives,
        // not half an input frame interval after (round=near) or a whole sample interval after (round=down).
        args.AddRange(["-vf", $"{ContinuousTimestamps()},fps={Options.SampleFps.ToString(CultureInfo.InvariantCulture)}:round=up,{Options.Geometry.ToFilter()}"]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// The frames of <paramref name="source"/>, in order, each owned by the receiver (dispose it).
    /// Throws <see cref="MediaException"/> when ffmpeg cannot read the input, stops early, or stalls
    /// (<see cref="MediaException.FramesRead"/> frames were delivered before that).
    /// </summary>
    public IAsyncEnumerable<VideoFrame> ReadFramesAsync(MediaSource source, CancellationToken cancellationToken = default) =>
        ReadFramesAsync(source, report: null, cancellationToken);

    /// <summary>
    /// <see cref="ReadFramesAsync(MediaSource, CancellationToken)"/>, telling <paramref name="report"/> what it notices
    /// about the input as it goes (timestamp discontinuities).
    /// </summary>
    public async IAsyncEnumerable<VideoFrame> ReadFramesAsync(MediaSource source, FrameReadReport? report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var openedFile = source.OpenedFile;
        await using var lease = source.Lease;
        cancellationToken.ThrowIfCancellationRequested();
        CheckInputExists(source);

        var geometry = Options.Geometry;
        var stdinCarriesMedia = source.Kind == MediaSourceKind.Stream;
        var framesRead = 0;
        bool OnStderrLine(string line)
        {
            if (TimestampJumpSeconds(line) is not { } jump)
            {
                return false;
            }

            report?.OnTimestampDiscontinuity();
            _logger.TimestampDiscontinuity(source.Location, jump, Volatile.Read(ref framesRead) / Options.SampleFps);
            return true;
        }

        var process = await FfmpegProcess.StartAsync(Options.FfmpegPath, BuildArguments(source), stdinCarriesMedia, Options.StderrTailLines, source.Location, _logger, Options.MemoryLimitBytes, source.OpenedFile, OnStderrLine).ConfigureAwait(false);
        PipeCapacity.TryGrow(process.StandardOutput, Math.Clamp(geometry.FrameBytes * 4, 1 << 16, 1 << 20));
        using var pumpCancellation = new CancellationTokenSource();
        var bytesFed = new StrongBox<long>();
        var pump = stdinCarriesMedia ? source.CopyToAsync(process.StandardInput, bytesFed, pumpCancellation.Token) : Task.CompletedTask;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(geometry.FrameBytes);
                var read = await ReadFrameAsync(process.StandardOutput, buffer, geometry.FrameBytes, stall, source, framesRead, process, cancellationToken).ConfigureAwait(false);
                if (read < geometry.FrameBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    if (read > 0)
                    {
                        _logger.PartialFrameDropped(source.Location, read);
                    }

                    break;
                }

                var frame = new VideoFrame(framesRead, framesRead / Options.SampleFps, geometry.Width, geometry.Height, buffer, pooled: true);
                Interlocked.Increment(ref framesRead);
                yield return frame;
            }

            var exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            _logger.ProcessExited("ffmpeg", process.Id, exitCode, framesRead);

            // ffmpeg has read all it will: a producer still blocked on its source is released, a failed one reported.
            await pumpCancellation.CancelAsync().ConfigureAwait(false);
            await AwaitPumpAsync(pump, source, framesRead).ConfigureAwait(false);
            if (MediaErrorClassifier.Classify(source, exitCode, process.Tail, bytesFed.Value, framesRead, maxPixels: Options.MaxPixels) is { } failure)
            {
                _logger.ReadFailed(source.Location, failure.Reason, framesRead, failure.Message);
                throw failure;
            }
        }
        finally
        {
            // On cancel, failure or an abandoned enumeration: stop the pump, then ffmpeg ('q' or closed stdin, then kill).
            await pumpCancellation.CancelAsync().ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            await AwaitPumpQuietlyAsync(pump, source).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// ffmpeg's setpts expression that makes the timestamps continuous before the fps filter samples them. The first
    /// frame is at 0; each next one follows the last by its own timestamp step (kept in register 0), unless that step
    /// is missing or zero (no PTS, a repeated PTS) or negative or over the gap (a restart, a wrap, a splice, a
    /// corrupted PTS): then it follows by the last good step (one sample interval until there is one), and a jump is
    /// printed on stderr for <see cref="TimestampJumpSeconds"/>.
    /// </summary>
    private string ContinuousTimestamps()
    {
        var gap = Options.MaxTimestampGap.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        var fps = Options.SampleFps.ToString("R", CultureInfo.InvariantCulture);
        const string Step = "(PTS-PREV_INPTS)";
        return "setpts='"
            + $"if(eq(N,0),st(0,1/({fps}*TB))*0,"
            + $"if(isnan({Step})+eq({Step},0),PREV_OUTPTS+ld(0),"
            + $"if(lt({Step},0)+gt({Step},{gap}/TB),PREV_OUTPTS+ld(0)+0*print({Step}*TB,16),"
            + $"PREV_OUTPTS+st(0,{Step}))))'";
    }

    /// <summary>The jump in seconds when <paramref name="line"/> is one the setpts expression printed, else null.</summary>
    internal static double? TimestampJumpSeconds(string line)
    {
        // av_log may prefix a context ("[Parsed_setpts_0 @ 0x...] "); the value itself is printf's "%f".
        var value = line.AsSpan().Trim();
        while (value.StartsWith("[") && value.IndexOf("] ") is var end and > 0)
        {
            value = value[(end + 2)..];
        }

        return PrintedNumber().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }

    [GeneratedRegex(@"^-?[0-9]+\.[0-9]{6}$")]
    private static partial Regex PrintedNumber();

    /// <summary>Reads one frame; returns fewer bytes than asked only at the end of ffmpeg's output.</summary>
    private async Task<int> ReadFrameAsync(Stream stdout, byte[] buffer, int count, CancellationTokenSource stall, MediaSource source, int framesRead, FfmpegProcess process, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            // The stall clock runs only while we wait on ffmpeg, not while the consumer holds a frame.
            stall.CancelAfter(Options.StallTimeout);
            while (total < count)
            {
                var read = await stdout.ReadAsync(buffer.AsMemory(total, count - total), stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            stall.CancelAfter(Timeout.InfiniteTimeSpan);
            return total;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            process.Kill();
            var failure = new MediaException(
                MediaErrorReason.Stalled,
                $"No frame from {source.Location} for {Options.StallTimeout.TotalSeconds:0.###} s after {framesRead} frames: the source stalled. Check the source, or raise the stall timeout.",
                source.Location,
                UrlRedaction.Redact(process.Tail.ToString()),
                framesRead);
            _logger.ReadFailed(source.Location, failure.Reason, framesRead, failure.Message);
            throw failure;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static void CheckInputExists(MediaSource source)
    {
        if (source.Kind != MediaSourceKind.File)
        {
            return;
        }

        if (source.OpenedFile is { } opened)
        {
            if (LinuxFiles.Describe(opened).Length == 0)
            {
                throw new MediaException(MediaErrorReason.Empty, $"{source.Location} is empty (0 bytes). Give a video file.", source.Location);
            }

            return;
        }

        var file = new FileInfo(source.Location);
        if (!file.Exists)
        {
            throw new MediaException(MediaErrorReason.NotFound, $"{source.Location} does not exist. Check the path.", source.Location);
        }

        if (file.Length == 0)
        {
            throw new MediaException(MediaErrorReason.Empty, $"{source.Location} is empty (0 bytes). Give a video file.", source.Location);
        }
    }

    private async Task AwaitPumpAsync(Task pump, MediaSource source, int framesRead)
    {
        try
        {
            await pump.WaitAsync(Options.StopGracePeriod).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
            // A source whose reads ignore cancellation (a terminal's stdin): ffmpeg is done with it; leave it blocked.
            _logger.SourceNotReleased(source.Location);
        }
        catch (Exception ex)
        {
            // The producer failed (e.g. the gRPC client aborted): the frames ffmpeg made from what arrived are out already.
            _logger.SourceFailed(source.Location, ex);
            if (ex is MediaException media)
            {
                // The source itself recognised what is wrong (an MP4 that cannot stream): that is the reason.
                throw media;
            }

            throw new MediaException(MediaErrorReason.Failed, $"The input {source.Location} failed while it was read: {ex.Message}", source.Location, framesRead: framesRead, innerException: ex);
        }
    }

    private async Task AwaitPumpQuietlyAsync(Task pump, MediaSource source)
    {
        try
        {
            await pump.WaitAsync(Options.StopGracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.SourceNotReleased(source.Location);
        }
        catch
        {
            // Observed; the failure was reported through the read, or the read was cancelled.
        }
    }
}
