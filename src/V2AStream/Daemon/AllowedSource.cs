using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Media;

namespace V2AStream.Daemon;

/// <summary>
/// A source <see cref="SourcePolicy"/> let through, opened only when its stream runs: a file opened at exactly the path
/// that was checked with no link followed (ffmpeg then reads that descriptor), a non-http URL with its host pinned to
/// the address that was checked, or an http(s) URL whose every request goes through an <see cref="EgressProxy"/>.
/// </summary>
internal sealed class AllowedSource
{
    private readonly string? _path;
    private readonly string? _url;
    private readonly string? _scheme;
    private readonly SourceHosts? _hosts;
    private readonly IPAddress? _connectTo;

    private AllowedSource(string? path, string? url, string? scheme, SourceHosts? hosts, IPAddress? connectTo)
    {
        _path = path;
        _url = url;
        _scheme = scheme;
        _hosts = hosts;
        _connectTo = connectTo;
    }

    public bool IsUrl => _url is not null;

    public static AllowedSource File(string resolvedPath) => new(resolvedPath, null, null, null, null);

    public static AllowedSource Url(string url, string scheme, SourceHosts hosts, IPAddress? connectTo) => new(null, url, scheme, hosts, connectTo);

    /// <summary>
    /// Opens the source and runs <paramref name="read"/> on it. A read that fails after the egress proxy refused one of its
    /// requests (a playlist entry or a redirect to a host not allowed) ends with that refusal instead of ffmpeg's words.
    /// </summary>
    public async Task ReadAsync(Func<MediaSource, Task> read, ILogger logger)
    {
        if (_path is not null)
        {
            await read(OpenFile(_path)).ConfigureAwait(false);
            return;
        }

        if (_scheme is not ("http" or "https"))
        {
            await read(MediaSource.FromUrl(_url!, _connectTo is { } address ? WithHost(_url!, address) : null)).ConfigureAwait(false);
            return;
        }

        var proxy = EgressProxy.Start(_hosts!, logger);
        try
        {
            await read(MediaSource.FromUrl(_url!, httpProxy: proxy.Url, lease: proxy)).ConfigureAwait(false);
        }
        catch (MediaException) when (proxy.Refusal is { } refusal)
        {
            throw new SourceRefusedException(SourceRefusal.Denied, refusal);
        }
        finally
        {
            // The read disposes its lease; this covers a read that never started.
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static MediaSource OpenFile(string path)
    {
        var handle = LinuxFiles.OpenWithoutLinks(path, out var error);
        if (handle is null)
        {
            throw error switch
            {
                LinuxFiles.NoSuchFile => new SourceRefusedException(SourceRefusal.NotFound, "no such file under the allowed roots."),
                LinuxFiles.TooManyLinks or LinuxFiles.NotADirectory => new SourceRefusedException(SourceRefusal.Denied, "the path changed into a symbolic link after it was checked."),
                _ => new SourceRefusedException(SourceRefusal.Denied, "the file cannot be opened."),
            };
        }

        if (!LinuxFiles.Describe(handle).IsRegularFile)
        {
            handle.Dispose();
            throw new SourceRefusedException(SourceRefusal.Invalid, "the source is not a regular file (a folder, device, FIFO or socket).");
        }

        return MediaSource.FromOpenedFile(handle, path);
    }

    /// <summary><paramref name="url"/> with its host replaced by <paramref name="address"/>, everything else as it was.</summary>
    internal static string WithHost(string url, IPAddress address)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        end = end < 0 ? url.Length : end;
        var hostStart = url.LastIndexOf('@', end - 1, end - start) is var at and >= 0 ? at + 1 : start;
        var hostEnd = url[hostStart] == '[' ? url.IndexOf(']', hostStart) + 1 : url.IndexOf(':', hostStart, end - hostStart) is var colon and >= 0 ? colon : end;
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return string.Concat(url.AsSpan(0, hostStart), host, url.AsSpan(hostEnd));
    }
}
