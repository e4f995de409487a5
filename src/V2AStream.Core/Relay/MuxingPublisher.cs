using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Media;

namespace V2AStream.Core.Relay;

/// <summary>
/// The relay's muxing publisher: one ffmpeg child that takes the source's video as MPEG-TS on its stdin (stream-copied,
/// never re-encoded) and the generated sound as 16-bit PCM on a Unix socket in a private folder, encodes the sound, and
/// publishes both to the destination. The sound carries no timestamps: its sample n is at n / rate after the video's
/// first frame, so the writer of the sound keeps it on the video's clock (<see cref="AudioTimeline"/>), and ffmpeg
/// interleaves by those times, holding video until its sound has come. Both inputs are buffered here (up to
/// <see cref="MuxingPublisherOptions.BufferBytes"/> each), so a writer never waits on ffmpeg's probing or pacing.
/// Writes are thread-safe per input (one writer each). Disposing stops ffmpeg and removes the socket.
/// </summary>
public sealed class MuxingPublisher : IAsyncDisposable
{
    private readonly MuxingPublisherOptions _options;
    private readonly FfmpegProcess _process;
    private readonly DirectoryInfo _socketFolder;
    private readonly Socket _listener;
    private readonly Pipe _video;
    private readonly Pipe _audio;
    private readonly Task _videoPump;
    private readonly Task _audioPump;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _exit;

    private MuxingPublisher(MuxingPublisherOptions options, FfmpegProcess process, DirectoryInfo socketFolder, Socket listener)
    {
        _options = options;
        _process = process;
        _socketFolder = socketFolder;
        _listener = listener;
        var pipeOptions = new PipeOptions(pauseWriterThreshold: options.BufferBytes, resumeWriterThreshold: options.BufferBytes / 2, useSynchronizationContext: false);
        _video = new Pipe(pipeOptions);
        _audio = new Pipe(pipeOptions);
        _exit = process.WaitForExitAsync(CancellationToken.None);
        _videoPump = PumpAsync(_video.Reader, Task.FromResult(process.StandardInput), _stop.Token);
        _audioPump = PumpAsync(_audio.Reader, AcceptAudioAsync(), _stop.Token);
    }

    /// <summary>Completes when ffmpeg has exited, with its exit code (before <see cref="CompleteAsync"/>: the destination failed).</summary>
    public Task<int> Exited => _exit;

    /// <summary>ffmpeg's last words, for a message when it failed.</summary>
    public string LastError => MediaErrorClassifier.LastMeaningfulLine(_process.Tail.Lines, _options.Destination);

    public static async Task<MuxingPublisher> StartAsync(MuxingPublisherOptions options, ILogger<MuxingPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!MuxingPublisherOptions.Formats.Contains(options.Format) || !MuxingPublisherOptions.AudioCodecs.Contains(options.AudioCodec))
        {
            throw new ArgumentException($"The publisher writes {string.Join(" or ", MuxingPublisherOptions.Formats)} with {string.Join(" or ", MuxingPublisherOptions.AudioCodecs)} sound.", nameof(options));
        }

        // A folder only this user can enter: no other local user can connect to the socket and speak for the sound.
        var folder = Directory.CreateTempSubdirectory("v2a-relay-");
        var socketPath = Path.Combine(folder.FullName, "sound.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            // The same guard as every ffmpeg child (dies with us, a memory bound); it encodes only the sound.
            var process = await FfmpegProcess.StartAsync(options.FfmpegPath, BuildArguments(options, socketPath), stdinCarriesMedia: true, options.StderrTailLines, options.Destination, (ILogger?)logger ?? NullLogger.Instance, FrameReaderOptions.DefaultMemoryLimitBytes).ConfigureAwait(false);
            return new MuxingPublisher(options, process, folder, listener);
        }
        catch
        {
            listener.Dispose();
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The ffmpeg arguments: video from stdin, sound from <paramref name="socketPath"/>, both to the destination.</summary>
    public static IReadOnlyList<string> BuildArguments(MuxingPublisherOptions options, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rate = options.SampleRate.ToString(CultureInfo.InvariantCulture);
        var channels = options.Channels.ToString(CultureInfo.InvariantCulture);
        return
        [
            "-hide_banner", "-nostats", "-loglevel", "warning",

            // Large input queues: the video waits in them, not in a blocked pipe, until its sound has been made.
            "-thread_queue_size", "4096", "-protocol_whitelist", "pipe", "-f", "mpegts", "-i", "pipe:0",
            "-thread_queue_size", "4096", "-protocol_whitelist", "unix", "-f", "s16le", "-ar", rate, "-ac", channels, "-i", $"unix:{socketPath}",
            "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
            "-c:a", options.AudioCodec, "-b:a", options.AudioBitrate.ToString(CultureInfo.InvariantCulture),
            "-f", options.Format, "-flush_packets", "1", options.Destination,
        ];
    }

    /// <summary>Queues MPEG-TS bytes of the video; waits only when <see cref="MuxingPublisherOptions.BufferBytes"/> are already queued.</summary>
    public async ValueTask WriteVideoAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        await WriteAsync(_video.Writer, bytes, cancellationToken).ConfigureAwait(false);

    /// <summary>Queues interleaved 16-bit PCM of the sound; waits only when <see cref="MuxingPublisherOptions.BufferBytes"/> are already queued.</summary>
    public async ValueTask WriteAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) =>
        await WriteAsync(_audio.Writer, pcm, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Ends both inputs and waits for ffmpeg to write what it has and exit. Throws <see cref="MediaException"/> when it
    /// failed (or had failed before), with its reason.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _video.Writer.CompleteAsync().ConfigureAwait(false);
        await _audio.Writer.CompleteAsync().ConfigureAwait(false);
        var exitCode = await _exit.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw Failure(exitCode);
        }
    }

    /// <summary>The publisher's failure as the user should hear it.</summary>
    public MediaException Failure(int exitCode) =>
        new(MediaErrorReason.Failed, $"Publishing failed (ffmpeg exit code {exitCode}): {LastError}.", _options.Destination, _process.Tail.ToString());

    public async ValueTask DisposeAsync()
    {
        await _video.Writer.CompleteAsync().ConfigureAwait(false);
        await _audio.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _exit.WaitAsync(_options.StopGracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_videoPump, _audioPump).ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
        try
        {
            _socketFolder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async ValueTask WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The publisher has stopped reading (ffmpeg exited).");
        }
    }

    /// <summary>ffmpeg connects to the sound socket once it has opened the video; the wait ends when it exits first.</summary>
    private async Task<Stream> AcceptAudioAsync()
    {
        var accept = _listener.AcceptAsync(_stop.Token).AsTask();
        if (await Task.WhenAny(accept, _exit).ConfigureAwait(false) != accept)
        {
            _ = accept.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new IOException("ffmpeg exited before it opened the sound input.");
        }

        return new NetworkStream(await accept.ConfigureAwait(false), ownsSocket: true);
    }

    /// <summary>Moves queued bytes into one of ffmpeg's inputs; closing the input at the end is ffmpeg's end of that input.</summary>
    private static async Task PumpAsync(PipeReader reader, Task<Stream> destinationTask, CancellationToken cancellationToken)
    {
        Stream? destination = null;
        try
        {
            destination = await destinationTask.ConfigureAwait(false);
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    await destination.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // ffmpeg exited (its exit code tells why) or the publisher is being disposed.
        }
        finally
        {
            // Completing the reader makes the next write fail at once instead of filling the buffer for nobody.
            await reader.CompleteAsync().ConfigureAwait(false);
            if (destination is not null)
            {
                try
                {
                    await destination.DisposeAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
