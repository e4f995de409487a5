using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using V2AStream.Testing;

namespace V2AStream.Tests.ScaleOut;

/// <summary>
/// Debian's haproxy in front of daemons with the project's deploy/haproxy.cfg, as bench/failover.sh runs it: HTTP/2
/// cleartext in and to each backend, backends health-checked on their /readyz and marked down at their first failed
/// connection. Disposing kills it.
/// </summary>
internal sealed class Haproxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private Haproxy(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<Haproxy> StartAsync(IReadOnlyList<(Uri Grpc, Uri Health)> backends)
    {
        var folder = Directory.CreateTempSubdirectory("v2a-haproxy-").FullName;
        var port = LoopbackPort.Free();
        var servers = backends.Select((b, i) => $"  server d{i + 1} {b.Grpc.Host}:{b.Grpc.Port} proto h2 check port {b.Health.Port} check-proto h1");
        var config = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "haproxy.cfg"));
        var path = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(path, config + string.Join('\n', servers) + "\n");
        var startInfo = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", path, "-db" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["V2A_HAPROXY_BIND"] = $"127.0.0.1:{port}";
        startInfo.Environment["V2A_HAPROXY_STATS"] = Path.Combine(folder, "stats.sock");

        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var haproxy = new Haproxy(process, folder, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return haproxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // haproxy gives no other sign that it listens.
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
