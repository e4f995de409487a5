using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Client;
using V2AStream.Core.Media;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// Before the daemon says it is ready (/readyz, grpc.health.v1), it streams a short clip it makes with ffmpeg through
/// its own gRPC port, once in LIVE and once in QUALITY mode, so that the code a stream runs (Kestrel's HTTP/2, gRPC,
/// ffmpeg's first start, the embedder, the generator, the encoder) is compiled and loaded before a load balancer sends
/// the first real stream. Without it a cold daemon's first streams spent seconds in the JIT (with tiered compilation off,
/// every method is compiled fully optimized at first use). A warm-up that fails is logged and the daemon goes ready anyway:
/// a client's stream would meet the same fault, and with its status. Thread-safe.
/// </summary>
internal sealed class DaemonWarmup(DaemonOptions options, X509Certificate2? certificate, ILogger<DaemonWarmup> logger)
{
    /// <summary>A little more than one 2.56 s block, so each mode generates, stitches and encodes a whole block.</summary>
    private const string ClipSeconds = "3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private volatile bool _done;

    /// <summary>True once the warm-up has run (or was turned off): readiness waits for it.</summary>
    public bool IsDone => _done || !options.Warmup;

    /// <summary>Runs the warm-up streams against <paramref name="grpcAddress"/> (the daemon's own, already listening).</summary>
    public async Task RunAsync(Uri grpcAddress, CancellationToken cancellationToken)
    {
        if (!options.Warmup)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var clip = Path.Combine(Path.GetTempPath(), $"v2a-warmup-{Environment.ProcessId}.ts");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await new FfmpegTool().RunAsync(
                ["-f", "lavfi", "-t", ClipSeconds, "-i", "testsrc2=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-f", "mpegts", "-y", clip],
                "the warm-up clip",
                timeout.Token).ConfigureAwait(false);
            var bytes = await File.ReadAllBytesAsync(clip, timeout.Token).ConfigureAwait(false);
            var server = Loopback(grpcAddress);
            await Task.WhenAll(
                StreamAsync(server, bytes, Protos.V1.GenerationMode.Live, timeout.Token),
                StreamAsync(server, bytes, Protos.V1.GenerationMode.Quality, timeout.Token)).ConfigureAwait(false);
            DaemonLog.WarmedUp(logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (ex is MediaException or RpcException or IOException or OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            DaemonLog.WarmupFailed(logger, Stopwatch.GetElapsedTime(started).TotalSeconds, ex.Message);
        }
        finally
        {
            File.Delete(clip);
            _done = true;
        }
    }

    private async Task StreamAsync(Uri server, byte[] clip, Protos.V1.GenerationMode mode, CancellationToken cancellationToken)
    {
        var live = mode == Protos.V1.GenerationMode.Live;
        var client = new StreamClient(
            new StreamClientOptions
            {
                Server = server,
                Token = options.Token,
                TrustedCertificate = certificate,
                Config = new StreamConfig
                {
                    RequestId = live ? "warm-up-live" : "warm-up-quality",
                    Realtime = live,
                    Output = new OutputConfig { Encoding = AudioEncoding.PcmS16Le, SampleRate = 16000, Channels = 1 },
                    Generation = new GenerationConfig { Mode = mode },
                },
            },
            TimeProvider.System);
        using var input = new MemoryStream(clip, writable: false);
        await foreach (var response in client.GenerateAsync(input, cancellationToken).ConfigureAwait(false))
        {
            if (response.EventCase == GenerateResponse.EventOneofCase.Summary && response.Summary.TotalSamples == 0)
            {
                throw new IOException($"the {mode} warm-up stream produced no audio");
            }
        }
    }

    /// <summary>A daemon listening on every address is called on loopback.</summary>
    private static Uri Loopback(Uri address)
    {
        var host = IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            ? (ip.Equals(IPAddress.Any) ? "127.0.0.1" : "[::1]")
            : address.Host;
        return new UriBuilder(address) { Host = host }.Uri;
    }
}
