using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace V2AStream.Core.Media;

/// <summary>
/// The input of one <see cref="FrameReader"/> run: a file, a URL, or a byte stream piped into ffmpeg's stdin.
/// A stream source, and a file source made from an opened handle, is single-use: the read that uses it consumes its
/// bytes or closes its handle.
/// </summary>
public sealed class MediaSource
{
    /// <summary>URL schemes ffmpeg may open for a <see cref="MediaSourceKind.Url"/> source (HLS is an http(s) URL to a playlist).</summary>
    public static readonly IReadOnlyList<string> UrlSchemes = ["http", "https", "rtmp", "rtmps", "rtsp", "rtsps", "srt", "udp", "tcp", "rtp"];

    private readonly Stream? _stream;
    private readonly PipeReader? _pipe;
    private readonly bool _leaveOpen;
    private readonly string? _url;

    private MediaSource(MediaSourceKind kind, string location, Stream? stream, PipeReader? pipe, bool leaveOpen, SafeFileHandle? file = null, string? url = null, Uri? httpProxy = null, IAsyncDisposable? lease = null)
    {
        Kind = kind;
        Location = location;
        _stream = stream;
        _pipe = pipe;
        _leaveOpen = leaveOpen;
        OpenedFile = file;
        _url = url;
        HttpProxy = httpProxy;
        Lease = lease;
    }

    public MediaSourceKind Kind { get; }

    /// <summary>The container format ffmpeg is told to expect (its -f), or null to probe.</summary>
    public string? Format { get; private init; }

    /// <summary>The path, the URL (its secrets masked: <see cref="UrlRedaction"/>), "-" for stdin, or "(stream)"; used in messages, logs and emb.json.</summary>
    public string Location { get; }

    /// <summary>The file this source was opened as, when the caller opened it (ffmpeg reads it through /proc/self/fd).</summary>
    internal SafeFileHandle? OpenedFile { get; }

    /// <summary>The HTTP proxy every http(s) request of this URL source goes through, or null.</summary>
    internal Uri? HttpProxy { get; }

    /// <summary>What the source holds while it is read (the proxy behind <see cref="HttpProxy"/>); the read disposes it.</summary>
    internal IAsyncDisposable? Lease { get; }

    /// <summary>Whether ffprobe can look at the input before it is read (files and URLs, not pipes).</summary>
    public bool CanProbe => Kind != MediaSourceKind.Stream;

    /// <summary>A local file. The path is made absolute; whether it exists is checked when it is read.</summary>
    public static MediaSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new MediaSource(MediaSourceKind.File, Path.GetFullPath(path), null, null, leaveOpen: false);
    }

    /// <summary>
    /// A file the caller has opened (after checking what it is: the daemon's source policy), so what ffmpeg reads is
    /// exactly what was checked, whatever happens to the path afterwards. The handle is closed by the read that uses it.
    /// </summary>
    public static MediaSource FromOpenedFile(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new MediaSource(MediaSourceKind.File, path, null, null, leaveOpen: false, file: handle);
    }

    /// <summary>
    /// A network URL; throws <see cref="ArgumentException"/> for a scheme outside <see cref="UrlSchemes"/>.
    /// <paramref name="connectUrl"/>, when given, is what ffmpeg opens instead (the same URL with its host pinned to
    /// the address that was checked); <paramref name="url"/> is what messages name. An http(s) source's requests, the
    /// playlist's and redirects' included, go through <paramref name="httpProxy"/> when given. The read that uses the
    /// source disposes <paramref name="lease"/> when it ends (single-use, like a stream source).
    /// </summary>
    public static MediaSource FromUrl(string url, string? connectUrl = null, Uri? httpProxy = null, IAsyncDisposable? lease = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !UrlSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{UrlRedaction.Redact(url)}' is not a supported URL; use one of the schemes {string.Join(", ", UrlSchemes)}.", nameof(url));
        }

        return new MediaSource(MediaSourceKind.Url, UrlRedaction.Redact(url), null, null, leaveOpen: false, url: connectUrl ?? url, httpProxy: httpProxy, lease: lease);
    }

    /// <summary>This process's standard input (e.g. <c>ffmpeg ... -f mpegts - | v2a embed -</c>).</summary>
    public static MediaSource FromStdin() =>
        new(MediaSourceKind.Stream, "-", Console.OpenStandardInput(), null, leaveOpen: false);

    /// <summary>
    /// Bytes read from <paramref name="stream"/> (any container ffmpeg can read from a pipe: mpegts, matroska/webm,
    /// fragmented or faststart mp4, flv...). The stream is read only as fast as ffmpeg consumes it.
    /// </summary>
    public static MediaSource FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new MediaSource(MediaSourceKind.Stream, "(stream)", stream, null, leaveOpen);
    }

    /// <summary>Bytes read from <paramref name="reader"/>; the reader is completed when the read ends.</summary>
    public static MediaSource FromPipe(PipeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new MediaSource(MediaSourceKind.Stream, "(stream)", null, reader, leaveOpen: false);
    }

    /// <summary>
    /// A source a producer writes into while frames are read (the gRPC Generate call feeds request bytes here).
    /// <c>FlushAsync</c> on <paramref name="writer"/> waits once <paramref name="bufferBytes"/> are buffered and ffmpeg
    /// has not taken them, which is the backpressure; its result's <c>IsCompleted</c> turns true when the read has ended.
    /// The producer calls <c>CompleteAsync</c> at end of input (with an exception to abort).
    /// </summary>
    public static MediaSource CreatePipe(out PipeWriter writer, int bufferBytes = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 4096);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: bufferBytes, resumeWriterThreshold: bufferBytes / 2, useSynchronizationContext: false));
        writer = pipe.Writer;
        return FromPipe(pipe.Reader);
    }

    /// <summary>
    /// The same source with ffmpeg told its container format (mpegts, matroska...), so a live stream is not held
    /// up by probing. The caller validates the name; null keeps probing.
    /// </summary>
    public MediaSource WithFormat(string? format) =>
        new(Kind, Location, _stream, _pipe, _leaveOpen, OpenedFile, _url, HttpProxy, Lease) { Format = format };

    /// <summary>
    /// The protocols ffmpeg may open for this source and anything it references: a playlist or container
    /// read from a pipe or file must not make the daemon open other files or URLs. An http(s) source may go through an
    /// HTTP proxy (https through its CONNECT tunnel: the httpproxy protocol).
    /// </summary>
    internal string ProtocolWhitelist => Kind switch
    {
        MediaSourceKind.Stream => "pipe",
        MediaSourceKind.File => "file",
        _ => Uri.TryCreate(_url, UriKind.Absolute, out var uri) ? uri.Scheme.ToLowerInvariant() switch
        {
            "http" or "https" => "http,https,tcp,tls,crypto,httpproxy",
            "rtmp" or "rtmps" => "rtmp,rtmps,tcp,tls",
            "rtsp" or "rtsps" => "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
            "srt" => "srt,udp",
            "rtp" => "rtp,udp",
            var scheme => scheme,
        } : "none",
    };

    /// <summary>
    /// The demuxers ffmpeg may use for a file or a pipe: plain containers, elementary streams and single images, none
    /// that reads a list of other inputs (hls, dash, concat) or turns text into pictures (tty); null for URLs, whose
    /// protocol list already bounds what a playlist can reach.
    /// </summary>
    internal string? FormatWhitelist => Kind == MediaSourceKind.Url ? null : MediaFormats.PlainDemuxers;

    /// <summary>The URL scheme of a URL source (lower case), null otherwise.</summary>
    internal string? UrlScheme => Kind == MediaSourceKind.Url && Uri.TryCreate(_url, UriKind.Absolute, out var uri) ? uri.Scheme.ToLowerInvariant() : null;

    /// <summary>The ffmpeg/ffprobe input argument.</summary>
    internal string InputArgument => Kind switch
    {
        MediaSourceKind.Stream => "pipe:0",
        MediaSourceKind.Url => _url!,
        _ when OpenedFile is { } file => $"file:/proc/self/fd/{file.DangerousGetHandle()}",
        _ => Location,
    };

    public override string ToString() => Location;

    /// <summary>
    /// Copies the source into <paramref name="destination"/> (ffmpeg's stdin), counting bytes into <paramref name="bytesCopied"/>.
    /// Stops quietly when ffmpeg closes its end (it has read all it wants, or it failed: its exit code tells). Throws
    /// <see cref="MediaException"/> (NotStreamable) as soon as the first bytes show an MP4 whose index is at its end,
    /// which ffmpeg would otherwise wait for until the very last byte, however long a live sender takes.
    /// </summary>
    internal async Task CopyToAsync(Stream destination, StrongBox<long> bytesCopied, CancellationToken cancellationToken)
    {
        var layout = new IsoMediaLayout();
        async ValueTask ForwardAsync(ReadOnlyMemory<byte> bytes)
        {
            if (layout.Layout == IsoLayout.Undecided && layout.Inspect(bytes.Span) == IsoLayout.IndexAtEnd)
            {
                throw new MediaException(
                    MediaErrorReason.NotStreamable,
                    $"{Location} is an MP4 whose index (moov) comes after its media (mdat), so it cannot be decoded as it arrives: remux it with 'ffmpeg -i IN -c copy -movflags +faststart OUT.mp4' (no re-encode), or send mpegts/matroska; v2a stream does this itself.",
                    Location);
            }

            await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            bytesCopied.Value += bytes.Length;
        }

        try
        {
            if (_pipe is not null)
            {
                await CopyFromPipeAsync(_pipe, ForwardAsync, cancellationToken).ConfigureAwait(false);
            }
            else if (_stream is not null)
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    int read;
                    while ((read = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await ForwardAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (IOException)
        {
            // EPIPE: ffmpeg exited or closed stdin; the reader reports why from its exit code and stderr.
        }
        finally
        {
            if (_stream is not null && !_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                await destination.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Flushing into a pipe ffmpeg already closed.
            }
        }
    }

    private static async Task CopyFromPipeAsync(PipeReader reader, Func<ReadOnlyMemory<byte>, ValueTask> forward, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    await forward(segment).ConfigureAwait(false);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            // Completing the reader makes the producer's next FlushAsync return IsCompleted, so it stops writing.
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
