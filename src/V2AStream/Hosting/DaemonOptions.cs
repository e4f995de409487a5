using System.Net;
using V2AStream.Core.Generation;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;
using V2AStream.Core.Stitching;
using V2AStream.Daemon;

namespace V2AStream.Hosting;

/// <summary>
/// The daemon's settings: section "Daemon" of appsettings.json, then V2A__Daemon__* environment
/// variables, then command-line flags, each layer overriding the one before. Defaults are safe:
/// loopback only, no source may be opened, bounded streams and messages.
/// </summary>
internal sealed record DaemonOptions
{
    public const string SectionName = "Daemon";

    /// <summary>The gRPC endpoint, HTTP/2 cleartext with prior knowledge.</summary>
    public string Listen { get; init; } = "127.0.0.1:50051";

    /// <summary>The HTTP/1.1 endpoint for /metrics, /healthz and /readyz; empty turns it off.</summary>
    public string MetricsListen { get; init; } = "127.0.0.1:9464";

    /// <summary>The model set streams use when they name none: builtin, a name under models/, or a folder.</summary>
    public string ModelSet { get; init; } = "builtin";

    /// <summary>Where every ONNX model of every set runs: cpu, cuda (GPU 0) or cuda:N (the CUDA build of the program).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Concurrent streams; one more is refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxStreams { get; init; } = 4;

    /// <summary>Folders under which GenerateFromSource may open files. Empty: none.</summary>
    public IReadOnlyList<string> AllowRoots { get; init; } = [];

    /// <summary>URL schemes GenerateFromSource may open (srt, rtmp, http, ...). Empty: none.</summary>
    public IReadOnlyList<string> AllowSchemes { get; init; } = [];

    /// <summary>
    /// Hosts a URL source, its playlists and its redirects may reach besides the URL's own host: names, IP addresses or
    /// CIDR ranges. Loopback, link-local and private addresses are reachable only through this list. Empty: none.
    /// </summary>
    public IReadOnlyList<string> AllowHosts { get; init; } = [];

    /// <summary>The most private memory one ffmpeg/ffprobe child may use (RLIMIT_DATA); 0: no bound.</summary>
    public long ChildMemoryLimitBytes { get; init; } = FrameReaderOptions.DefaultMemoryLimitBytes;

    /// <summary>The largest picture, in pixels, a stream's decoder accepts (ffmpeg's -max_pixels).</summary>
    public long MaxPixels { get; init; } = FrameReaderOptions.DefaultMaxPixels;

    /// <summary>A jump in an input's timestamps larger than this starts a new segment of the media clock (not filled).</summary>
    public TimeSpan MaxTimestampGap { get; init; } = new FrameReaderOptions().MaxTimestampGap;

    /// <summary>Highest scenes.sample_fps a client may ask for.</summary>
    public double MaxSampleFps { get; init; } = new StreamCaps().MaxSampleFps;

    /// <summary>Longest scenes.window_seconds a client may ask for.</summary>
    public double MaxWindowSeconds { get; init; } = new StreamCaps().MaxWindowSeconds;

    /// <summary>Most scenes.lookahead_frames a client may ask for.</summary>
    public int MaxLookaheadFrames { get; init; } = new StreamCaps().MaxLookaheadFrames;

    /// <summary>Highest generation.block_multiple a client may ask for.</summary>
    public int MaxBlockMultiple { get; init; } = new StreamCaps().MaxBlockMultiple;

    /// <summary>The caps on client-chosen settings.</summary>
    public StreamCaps ToCaps() => new() { MaxSampleFps = MaxSampleFps, MaxWindowSeconds = MaxWindowSeconds, MaxLookaheadFrames = MaxLookaheadFrames, MaxBlockMultiple = MaxBlockMultiple };

    /// <summary>How every stream's ffmpeg child reads: the server's bounds on memory, picture size and timestamp gaps.</summary>
    public FrameReaderOptions ToReaderOptions() => new()
    {
        MemoryLimitBytes = ChildMemoryLimitBytes == 0 ? null : ChildMemoryLimitBytes,
        MaxPixels = MaxPixels,
        MaxTimestampGap = MaxTimestampGap,
    };

    /// <summary>When set, every call but health checks must carry "authorization: Bearer TOKEN".</summary>
    public string? Token { get; init; }

    /// <summary>A file whose content (surrounding white space trimmed) is the token, so it need not be on the command line.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest request message of every service but the V2AStream API: grpc.health.v1 (a service name; health checks skip
    /// the token) and server reflection. A larger one is refused with RESOURCE_EXHAUSTED as soon as its length prefix
    /// arrives, before any of it is buffered.
    /// </summary>
    public int MaxControlRequestBytes { get; init; } = 4096;

    /// <summary>Open connections on both ports together; Kestrel closes any beyond this at once.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Concurrent HTTP/2 streams (calls) one connection may open; the client queues or opens another connection beyond it.</summary>
    public int MaxStreamsPerConnection { get; init; } = 32;

    /// <summary>A call whose first request message has not arrived this long after the call started ends with DEADLINE_EXCEEDED.</summary>
    public TimeSpan FirstMessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A stream whose response has not moved for this long (the client stopped reading) is ended: its slot, pipeline and
    /// ffmpeg child are released.
    /// </summary>
    public TimeSpan OutputProgressTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP/2 connection that sent nothing for this long is pinged; zero turns keepalive pings off.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A ping not answered within this time closes the connection.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The gRPC port's TLS certificate: a PEM file (with <see cref="TlsKey"/>) or a PKCS#12 file; empty serves cleartext
    /// HTTP/2. The health port stays cleartext.
    /// </summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificate"/>; empty when the certificate file holds its key (PKCS#12).</summary>
    public string? TlsKey { get; init; }

    /// <summary>The password of an encrypted key or PKCS#12 file.</summary>
    public string? TlsPassword { get; init; }

    /// <summary>Longest a single stream may run.</summary>
    public TimeSpan MaxStreamDuration { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How long shutdown waits for running streams to finish before ending them with UNAVAILABLE.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// LIVE streams hold their first chunk this far behind the earliest moment it could be decided (and a chunk that
    /// would stall a player this long again), so a player fed straight from the stream does not stall on frame-timing
    /// jitter; later chunks go out as soon as they are ready. Zero sends every chunk as soon as it is ready.
    /// </summary>
    public TimeSpan LiveJitterBuffer { get; init; } = PipelineOptions.DefaultLiveJitterBuffer;

    /// <summary>
    /// How each model set's generator is shared by its streams (section Daemon:Generation): MaxConcurrentRuns,
    /// MaxBatchBlocks (1 turns batching off), MaxBatchWait, LiveRunsBeforeQuality.
    /// </summary>
    public GenerationSchedulerOptions Generation { get; init; } = new();

    /// <summary>Checks every value; returns one line per problem, empty when all is well.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!TryParseEndpoint(Listen, out _))
        {
            problems.Add($"Listen '{Listen}' is not HOST:PORT (for example 127.0.0.1:50051).");
        }

        if (!string.IsNullOrEmpty(MetricsListen) && !TryParseEndpoint(MetricsListen, out _))
        {
            problems.Add($"MetricsListen '{MetricsListen}' is not HOST:PORT (for example 127.0.0.1:9464), or empty to turn metrics off.");
        }

        if (!OrtDevice.TryParse(Device, out _))
        {
            problems.Add($"Device '{Device}' is not cpu, cuda or cuda:N.");
        }

        if (MaxStreams is < 1 or > 1024)
        {
            problems.Add($"MaxStreams {MaxStreams} must be between 1 and 1024.");
        }

        if (MaxReceiveMessageBytes is < 1024 or > 256 * 1024 * 1024)
        {
            problems.Add($"MaxReceiveMessageBytes {MaxReceiveMessageBytes} must be between 1 KiB and 256 MiB.");
        }

        if (MaxControlRequestBytes is < 64 or > 64 * 1024)
        {
            problems.Add($"MaxControlRequestBytes {MaxControlRequestBytes} must be between 64 and 65536.");
        }

        if (MaxConnections is < 2 or > 100_000)
        {
            problems.Add($"MaxConnections {MaxConnections} must be between 2 and 100000 (the health port needs one too).");
        }

        if (MaxStreamsPerConnection is < 1 or > 1000)
        {
            problems.Add($"MaxStreamsPerConnection {MaxStreamsPerConnection} must be between 1 and 1000.");
        }

        if (FirstMessageTimeout <= TimeSpan.Zero || FirstMessageTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("FirstMessageTimeout must be more than zero and at most 10 minutes (for example 00:00:10).");
        }

        if (OutputProgressTimeout <= TimeSpan.Zero || OutputProgressTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("OutputProgressTimeout must be more than zero and at most an hour (for example 00:00:30).");
        }

        if (KeepAlivePingDelay != TimeSpan.Zero && KeepAlivePingDelay < TimeSpan.FromSeconds(1))
        {
            problems.Add("KeepAlivePingDelay must be at least 1 second, or zero to turn keepalive pings off.");
        }

        if (KeepAlivePingTimeout < TimeSpan.FromSeconds(1))
        {
            problems.Add("KeepAlivePingTimeout must be at least 1 second.");
        }

        if (MaxStreamDuration <= TimeSpan.Zero)
        {
            problems.Add("MaxStreamDuration must be positive.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add("ShutdownTimeout must not be negative.");
        }

        if (!PipelineOptions.IsValidLiveJitterBuffer(LiveJitterBuffer))
        {
            problems.Add($"LiveJitterBuffer must be between 0 and {PipelineOptions.MaxLiveJitterBuffer.TotalSeconds} seconds.");
        }

        problems.AddRange(Generation.Validate().Select(problem => $"Generation: {problem}"));

        foreach (var root in AllowRoots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                problems.Add($"AllowRoots entry '{root}' must be an absolute path.");
            }
        }

        foreach (var host in AllowHosts)
        {
            if (!HostAllowList.IsValidEntry(host))
            {
                problems.Add($"AllowHosts entry '{host}' is not a host name, an IP address or a CIDR range (for example cdn.example.com, 10.0.0.5 or 10.0.0.0/8).");
            }
        }

        if (ChildMemoryLimitBytes != 0 && ChildMemoryLimitBytes < 64L << 20)
        {
            problems.Add($"ChildMemoryLimitBytes {ChildMemoryLimitBytes} must be 0 (no bound) or at least 64 MiB.");
        }

        if (MaxPixels is < 64 * 64 or > int.MaxValue)
        {
            problems.Add($"MaxPixels {MaxPixels} must be between 4096 and {int.MaxValue}.");
        }

        if (MaxTimestampGap <= TimeSpan.Zero || MaxTimestampGap > TimeSpan.FromHours(1))
        {
            problems.Add("MaxTimestampGap must be more than 0 and at most an hour.");
        }

        if (!(MaxSampleFps >= FrameReaderOptions.MinSampleFps && MaxSampleFps <= FrameReaderOptions.MaxSampleFps))
        {
            problems.Add($"MaxSampleFps {MaxSampleFps} must be between {FrameReaderOptions.MinSampleFps} and {FrameReaderOptions.MaxSampleFps}.");
        }

        if (!(MaxWindowSeconds is > 0 and <= 600))
        {
            problems.Add($"MaxWindowSeconds {MaxWindowSeconds} must be more than 0 and at most 600.");
        }

        if (MaxLookaheadFrames is < 0 or > 1000)
        {
            problems.Add($"MaxLookaheadFrames {MaxLookaheadFrames} must be between 0 and 1000.");
        }

        if (MaxBlockMultiple is < 1 or > BlockTiming.MaxMultiple)
        {
            problems.Add($"MaxBlockMultiple {MaxBlockMultiple} must be between 1 and {BlockTiming.MaxMultiple}.");
        }

        foreach (var scheme in AllowSchemes)
        {
            if (string.IsNullOrWhiteSpace(scheme) || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                problems.Add($"AllowSchemes entry '{scheme}' is not a URL scheme (for example srt, rtmp, https).");
            }
        }

        if (Token is { Length: > 0 and < 16 })
        {
            problems.Add("Token must be at least 16 characters.");
        }

        if (!string.IsNullOrEmpty(Token) && !string.IsNullOrEmpty(TokenFile))
        {
            problems.Add("Token and TokenFile are both set; give one.");
        }

        if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
        {
            problems.Add($"TokenFile '{TokenFile}' does not exist.");
        }

        if (string.IsNullOrEmpty(TlsCertificate) && !string.IsNullOrEmpty(TlsKey))
        {
            problems.Add("TlsKey is set without TlsCertificate.");
        }

        foreach (var (name, path) in new[] { (nameof(TlsCertificate), TlsCertificate), (nameof(TlsKey), TlsKey) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                problems.Add($"{name} '{path}' does not exist.");
            }
        }

        return problems;
    }

    /// <summary>Parses HOST:PORT (IPv6 as [::1]:PORT); "localhost" means loopback.</summary>
    public static bool TryParseEndpoint(string value, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
