using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2AStream.Core.Media;

/// <summary>
/// Decodes the first audio track of a file or URL to mono float32 samples at a chosen rate through one ffmpeg child per
/// read (channels averaged, as CLAP's loaders do). Sample 0 sits at media time 0 of the input's timeline: a track that
/// starts late is preceded by silence and gaps inside it are filled with silence (aresample's first_pts and async), so
/// sample n is the sound at n / rate seconds, the clock the frame reader's frames use. Thread-safe: each read owns its
/// child, which is always reaped, whether the enumeration completes, fails, is cancelled or is abandoned.
/// </summary>
public sealed class AudioReader
{
    private const int ChunkSamples = 1 << 16;
    private readonly FrameReaderOptions _options;
    private readonly ILogger _logger;

    /// <param name="options">The ffmpeg program, probe size, stall timeout, memory bound and stderr tail (the frame reader's settings).</param>
    public AudioReader(FrameReaderOptions options, ILogger<AudioReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The ffmpeg arguments for <paramref name="source"/> at <paramref name="sampleRate"/> Hz.</summary>
    public IReadOnlyList<string> BuildArguments(MediaSource source, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(source);
        var rate = sampleRate.ToString(CultureInfo.InvariantCulture);
        return
        [
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-probesize", _options.ProbeSizeBytes.ToString(CultureInfo.InvariantCulture),
            .. source.Kind == MediaSourceKind.Url ? ["-rw_timeout", ((long)_options.StallTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            "-protocol_whitelist", source.ProtocolWhitelist,
            .. source.FormatWhitelist is { } formats ? ["-format_whitelist", formats] : Array.Empty<string>(),
            "-i", source.InputArgument,
            "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-af", $"aresample={rate}:async=1:first_pts=0",
            "-ac", "1", "-ar", rate, "-f", "f32le", "pipe:1",
        ];
    }

    /// <summary>
    /// The samples of <paramref name="source"/>'s first audio track, in order, in chunks the receiver owns. Throws
    /// <see cref="MediaException"/> when ffmpeg cannot read the input (NoAudioStream-like failures included) or stalls.
    /// </summary>
    public async IAsyncEnumerable<float[]> ReadSamplesAsync(MediaSource source, int sampleRate, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (source.Kind == MediaSourceKind.Stream)
        {
            throw new ArgumentException("The audio reader reads files and URLs, not pipes: a pipe's bytes go to the frame reader.", nameof(source));
        }

        var process = await FfmpegProcess.StartAsync(_options.FfmpegPath, BuildArguments(source, sampleRate), stdinCarriesMedia: false, _options.StderrTailLines, source.Location, _logger, _options.MemoryLimitBytes, source.OpenedFile).ConfigureAwait(false);
        try
        {
            var bytes = new byte[ChunkSamples * sizeof(float)];
            var pending = 0;
            var samplesRead = 0L;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                int read;
                try
                {
                    stall.CancelAfter(_options.StallTimeout);
                    read = await process.StandardOutput.ReadAsync(bytes.AsMemory(pending), stall.Token).ConfigureAwait(false);
                    stall.CancelAfter(Timeout.InfiniteTimeSpan);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    process.Kill();
                    throw new MediaException(
                        MediaErrorReason.Stalled,
                        $"No audio from {source.Location} for {_options.StallTimeout.TotalSeconds:0.###} s: the source stalled. Check the source.",
                        source.Location,
                        process.Tail.ToString());
                }

                if (read == 0)
                {
                    break;
                }

                pending += read;
                var whole = pending / sizeof(float) * sizeof(float);
                if (whole == 0)
                {
                    continue;
                }

                var chunk = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, whole)).ToArray();
                bytes.AsSpan(whole, pending - whole).CopyTo(bytes);
                pending -= whole;
                samplesRead += chunk.Length;
                yield return chunk;
            }

            var exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            _logger.ProcessExited("ffmpeg", process.Id, exitCode, samplesRead > 0 ? 1 : 0);
            if (MediaErrorClassifier.Classify(source, exitCode, process.Tail, bytesFed: 0, framesRead: samplesRead > 0 ? 1 : 0) is { } failure)
            {
                throw failure;
            }
        }
        finally
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
