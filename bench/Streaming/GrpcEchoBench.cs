using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V2AStream.Bench;
using V2AStream.Tests.Grpc.Echo;

namespace V2AStream.Bench.Streaming;

/// <summary>
/// Duplex echo over loopback: Grpc.AspNetCore on Kestrel against Debian's python3-grpcio, each in its own child process,
/// both driven by Grpc.Net.Client in this process, alternating servers within each run. Throughput keeps a fixed window of
/// messages in flight on one call; latency is ping-pong (one message in flight) on another call.
/// </summary>
internal sealed class GrpcEchoBench(string root, int runs, TimeSpan phaseLimit)
{
    private const int Window = 16;

    public async Task RunAsync()
    {
        // Both servers run as child processes, so neither shares this client's CPU time, thread pool or GC.
        using var ours = StartChild(OursCommand(), out var oursAddress);
        using var grpcio = StartChild(["/usr/bin/python3", Path.Combine(root, "bench", "Streaming", "grpcio_echo_server.py")], out var grpcioAddress);
        var servers = new (string Name, Uri Address)[] { ("Grpc.AspNetCore (Kestrel)", oursAddress), ("grpcio (Python, C core)", grpcioAddress) };
        var sizes = new[] { 64 * 1024, 1024 };
        var results = new Dictionary<(int Size, string Server), List<EchoResult>>();
        using (var oursChannel = GrpcChannel.ForAddress(oursAddress))
        using (var grpcioChannel = GrpcChannel.ForAddress(grpcioAddress))
        {
            var clients = new[] { new Echo.EchoClient(oursChannel), new Echo.EchoClient(grpcioChannel) };

            // Warm-up (JIT, connections) on both servers, not measured.
            foreach (var client in clients)
            {
                await ThroughputAsync(client, Request(1024), 2000, TimeSpan.FromSeconds(1));
                await LatencyAsync(client, Request(1024), 300, TimeSpan.FromSeconds(1));
            }

            for (var run = 0; run < runs; run++)
            {
                foreach (var size in sizes)
                {
                    var request = Request(size);
                    var maxMessages = size >= 64 * 1024 ? 20_000 : 200_000;
                    for (var s = 0; s < servers.Length; s++)
                    {
                        var (messages, seconds) = await ThroughputAsync(clients[s], request, maxMessages, phaseLimit);
                        var latencies = await LatencyAsync(clients[s], request, 5000, phaseLimit / 2);
                        var result = new EchoResult(messages / seconds, messages * (double)size / seconds / 1e6, BenchSupport.Percentile(latencies, 0.5), BenchSupport.Percentile(latencies, 0.99), messages, latencies.Length);
                        results.TryAdd((size, servers[s].Name), []);
                        results[(size, servers[s].Name)].Add(result);
                        Console.Error.WriteLine(FormattableString.Invariant($"run {run + 1}, {size} B, {servers[s].Name}: {result.MessagesPerSecond:0} msg/s, {result.MegabytesPerSecond:0.0} MB/s, p50 {result.MedianMicroseconds:0} us, p99 {result.P99Microseconds:0} us ({messages} msgs, {latencies.Length} pings)"));
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Duplex echo, loopback, Grpc.Net.Client for both servers, window {Window} messages in flight for throughput, ping-pong for latency; {phaseLimit.TotalSeconds:0} s per throughput phase, median of {runs} alternating runs.");
        Console.WriteLine();
        Console.WriteLine("| message | server | messages/s | MB/s (payload, each way) | median RTT (µs) | p99 RTT (µs) |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var size in sizes)
        {
            foreach (var (name, _) in servers)
            {
                var r = results[(size, name)];
                Console.WriteLine(FormattableString.Invariant($"| {size / 1024} KiB | {name} | {BenchSupport.Median(r.Select(x => x.MessagesPerSecond)):0} | {BenchSupport.Median(r.Select(x => x.MegabytesPerSecond)):0.0} | {BenchSupport.Median(r.Select(x => x.MedianMicroseconds)):0} | {BenchSupport.Median(r.Select(x => x.P99Microseconds)):0} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| message | throughput Grpc.AspNetCore/grpcio (target >= 1.0) | median RTT grpcio/Grpc.AspNetCore (>= 1.0: Grpc.AspNetCore faster) |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var size in sizes)
        {
            var o = results[(size, servers[0].Name)];
            var g = results[(size, servers[1].Name)];
            Console.WriteLine(FormattableString.Invariant($"| {size / 1024} KiB | {BenchSupport.Median(o.Select(x => x.MessagesPerSecond)) / BenchSupport.Median(g.Select(x => x.MessagesPerSecond)):0.00} | {BenchSupport.Median(g.Select(x => x.MedianMicroseconds)) / BenchSupport.Median(o.Select(x => x.MedianMicroseconds)):0.00} |"));
        }
    }

    private static EchoRequest Request(int size)
    {
        var payload = new byte[size];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)((i * 31) + 7);
        }

        return new EchoRequest { Text = "bench", Payload = ByteString.CopyFrom(payload) };
    }

    /// <summary>Sends up to <paramref name="maxMessages"/> (or until <paramref name="limit"/>) with <see cref="Window"/> in flight; returns replies received and seconds to the last one.</summary>
    private static async Task<(long Messages, double Seconds)> ThroughputAsync(Echo.EchoClient client, EchoRequest request, int maxMessages, TimeSpan limit)
    {
        using var window = new SemaphoreSlim(Window);
        using var timeout = new CancellationTokenSource(limit + TimeSpan.FromSeconds(30));
        using var call = client.Duplex(cancellationToken: timeout.Token);
        var watch = Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < maxMessages && watch.Elapsed < limit; i++)
            {
                await window.WaitAsync(timeout.Token);
                await call.RequestStream.WriteAsync(request, timeout.Token);
            }

            await call.RequestStream.CompleteAsync();
        });
        long received = 0;
        await foreach (var reply in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            if (reply.Payload.Length != request.Payload.Length)
            {
                throw new InvalidOperationException($"Echo returned {reply.Payload.Length} bytes, sent {request.Payload.Length}.");
            }

            received++;
            window.Release();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await sending;
        return (received, seconds);
    }

    /// <summary>Ping-pong on one duplex call: each message is sent when the previous reply arrived; returns sorted round trips in µs.</summary>
    private static async Task<double[]> LatencyAsync(Echo.EchoClient client, EchoRequest request, int maxMessages, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit + TimeSpan.FromSeconds(30));
        using var call = client.Duplex(cancellationToken: timeout.Token);
        var latencies = new List<double>(maxMessages);
        var watch = Stopwatch.StartNew();
        while (latencies.Count < maxMessages && watch.Elapsed < limit)
        {
            var sent = Stopwatch.GetTimestamp();
            await call.RequestStream.WriteAsync(request, timeout.Token);
            if (!await call.ResponseStream.MoveNext(timeout.Token))
            {
                throw new InvalidOperationException("The echo call ended early.");
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(timeout.Token))
        {
        }

        latencies.Sort();
        return [.. latencies];
    }

    /// <summary>Serves the echo from this process until stdin closes, printing the port first (the "echo-server" mode).</summary>
    public static async Task ServeAsync()
    {
        var (app, address) = await StartOursAsync();
        Console.WriteLine(address.Port);
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string[] OursCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(GrpcEchoBench).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, dll, "echo-server"] : [host, "echo-server"];
    }

    private static async Task<(WebApplication App, Uri Address)> StartOursAsync()
    {
        ListenOptions? endpoint = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            endpoint = listen;
        }));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<DuplexEcho>();
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{endpoint!.IPEndPoint!.Port}"));
    }

    private static ChildServer StartChild(string[] command, out Uri address)
    {
        var startInfo = new ProcessStartInfo(command[0], command[1..]) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        var process = Process.Start(startInfo)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"{string.Join(' ', command)} did not print its port (for grpcio: /usr/bin/python3 -c 'import grpc' must work).");
        address = new Uri($"http://127.0.0.1:{int.Parse(line, CultureInfo.InvariantCulture)}");
        return new ChildServer(process);
    }

    /// <summary>Echo's Duplex: the reply carries the request's fields as they are, so it serializes to the request's bytes, as grpcio sends back.</summary>
    private sealed class DuplexEcho : Echo.EchoBase
    {
        public override async Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
        {
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new EchoReply { Text = request.Text, Payload = request.Payload }, context.CancellationToken);
            }
        }
    }

    private sealed record EchoResult(double MessagesPerSecond, double MegabytesPerSecond, double MedianMicroseconds, double P99Microseconds, long Messages, int Pings);
}
