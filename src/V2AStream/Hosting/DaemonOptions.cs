using System.Net;
using V2AStream.Core.Pipeline;
using V2AStream.Onnx;

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

    /// <summary>When set, every call must carry "authorization: Bearer TOKEN".</summary>
    public string? Token { get; init; }

    /// <summary>Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageBytes { get; init; } = 4 * 1024 * 1024;

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

        foreach (var root in AllowRoots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                problems.Add($"AllowRoots entry '{root}' must be an absolute path.");
            }
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
