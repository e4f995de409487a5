using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Media;

namespace V2AStream.Core.Relay;

/// <summary>
/// The relay's source reader: one ffmpeg child per connection to a live URL (rtmp, srt, rtsp, http/hls, udp...) that
/// copies the first video stream, never re-encoded, into MPEG-TS on its stdout (flushed packet by packet, so nothing
/// waits in a buffer). ffmpeg starts the copy at a key frame. A read ends when the source ends; it throws a
/// <see cref="MediaException"/> when ffmpeg cannot open the source, fails, or no byte comes for the stall timeout
/// (the child is killed). The child is always reaped. Thread-safe: each read owns its child.
/// </summary>
public sealed class LiveSourceReader(LiveSourceReaderOptions options, ILogger<LiveSourceReader>? logger = null)
{
    private const int ReadBytes = 64 * 1024;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The ffmpeg arguments for <paramref name="source"/> (a <see cref="MediaSourceKind.Url"/> source).</summary>
    public IReadOnlyList<string> BuildArguments(MediaSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return
        [
            "-hide_banner", "-nostats", "-loglevel", "warning",
            "-protocol_whitelist", source.ProtocolWhitelist,
            "-rw_timeout", ((long)options.StallTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
            "-i", source.InputArgument,
            "-map", "0:v:0", "-c:v", "copy", "-an", "-sn", "-dn",
            "-f", "mpegts", "-flush_packets", "1", "pipe:1",
        ];
    }

    /// <summary>
    /// The source's video as MPEG-TS bytes, as they come. Each buffer is valid until the next one is asked for. The first
    /// byte may take up to <paramref name="openTimeout"/> (default: the stall timeout).
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(MediaSource source, TimeSpan? openTimeout = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != MediaSourceKind.Url)
        {
            throw new ArgumentException("The relay reads live URLs only.", nameof(source));
        }

        // The same guard as every ffmpeg child (dies with us, a memory bound), though this one only copies packets.
        var process = await FfmpegProcess.StartAsync(options.FfmpegPath, BuildArguments(source), stdinCarriesMedia: false, options.StderrTailLines, source.Location, _logger, FrameReaderOptions.DefaultMemoryLimitBytes).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        long bytesRead = 0;
        try
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                int read;
                var timeout = bytesRead == 0 && openTimeout is { } open ? open : options.StallTimeout;
                stall.CancelAfter(timeout);
                try
                {
                    read = await process.StandardOutput.ReadAsync(buffer.AsMemory(0, ReadBytes), stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    process.Kill();
                    throw new MediaException(
                        MediaErrorReason.Stalled,
                        $"Nothing came from {source} for {timeout.TotalSeconds:0.#} s{(bytesRead == 0 ? string.Empty : " (it was streaming before)")}.",
                        source.Location,
                        process.Tail.ToString());
                }

                stall.CancelAfter(Timeout.InfiniteTimeSpan);
                if (read == 0)
                {
                    break;
                }

                bytesRead += read;
                yield return buffer.AsMemory(0, read);
            }

            var exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw bytesRead == 0
                    ? MediaErrorClassifier.Classify(source, exitCode, process.Tail, bytesFed: 0, framesRead: 0)!
                    : new MediaException(MediaErrorReason.Failed, $"{source} stopped: {MediaErrorClassifier.LastMeaningfulLine(process.Tail.Lines, source.InputArgument)}.", source.Location, process.Tail.ToString());
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await process.StopAsync(options.StopGracePeriod).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
