using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2AStream.Core.Media;

/// <summary>
/// Decodes a <see cref="MediaSource"/> into RGB24 frames at a fixed sample rate through one ffmpeg child per read
/// (ffmpeg's fps filter makes variable-rate input constant-rate; rotation metadata is applied by ffmpeg's autorotate).
/// Thread-safe: each <see cref="ReadFramesAsync"/> owns its own child, which is always reaped, whether the
/// enumeration completes, fails, is cancelled or is abandoned (disposing the enumerator stops the child).
/// </summary>
public sealed class FrameReader
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
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "error" };
        args.AddRange(["-probesize", Options.ProbeSizeBytes.ToString(CultureInfo.InvariantCulture)]);
        if (source.Kind == MediaSourceKind.Url)
        {
            // A socket that stays silent this long fails inside ffmpeg, with the protocol's own message.
            var microseconds = (long)Options.StallTimeout.TotalMicroseconds;
            args.AddRange(["-rw_timeout", microseconds.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-protocol_whitelist", source.ProtocolWhitelist]);
        if (source.RawVideo is { } raw)
        {
            args.AddRange(raw.InputArguments());
        }
        else if (source.Format is { } format)
        {
            args.AddRange(["-f", format]);
        }

        if (Options.LowDelay)
        {
            args.AddRange(["-thread_type", "slice"]);
        }

        args.AddRange(["-i", source.InputArgument]);
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn"]);

        // round=up: frame k is the picture on screen at k / fps, and it is known as soon as a later picture arrives,
        // not half an input frame interval after (round=near) or a whole sample interval after (round=down).
        args.AddRange(["-vf", $"fps={Options.SampleFps.ToString(CultureInfo.InvariantCulture)}:round=up,{Options.Geometry.ToFilter()}"]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// The frames of <paramref name="source"/>, in order, each owned by the receiver (dispose it).
    /// Throws <see cref="MediaException"/> when ffmpeg cannot read the input, stops early, or stalls
    /// (<see cref="MediaException.FramesRead"/> frames were delivered before that).
    /// </summary>
    public async IAsyncEnumerable<VideoFrame> ReadFramesAsync(MediaSource source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        CheckInputExists(source);

        var geometry = Options.Geometry;
        var stdinCarriesMedia = source.Kind == MediaSourceKind.Stream;
        var process = FfmpegProcess.Start(Options.FfmpegPath, BuildArguments(source), stdinCarriesMedia, Options.StderrTailLines, source.Location, _logger);
        PipeCapacity.TryGrow(process.StandardOutput, Math.Clamp(geometry.FrameBytes * 4, 1 << 16, 1 << 20));
        using var pumpCancellation = new CancellationTokenSource();
        var bytesFed = new StrongBox<long>();
        var pump = stdinCarriesMedia ? source.CopyToAsync(process.StandardInput, bytesFed, pumpCancellation.Token) : Task.CompletedTask;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var framesRead = 0;
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
                framesRead++;
                yield return frame;
            }

            var exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            _logger.ProcessExited("ffmpeg", process.Id, exitCode, framesRead);

            // ffmpeg has read all it will: a producer still blocked on its source is released, a failed one reported.
            await pumpCancellation.CancelAsync().ConfigureAwait(false);
            await AwaitPumpAsync(pump, source, framesRead).ConfigureAwait(false);
            if (MediaErrorClassifier.Classify(source, exitCode, process.Tail, bytesFed.Value, framesRead) is { } failure)
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
                process.Tail.ToString(),
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
