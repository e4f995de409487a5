using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using Xunit;

namespace V2AStream.Testing.MediaServers;

/// <summary>
/// A real nginx with Debian's libnginx-mod-rtmp, run by the test from a config it generates: loopback only, free ports
/// for RTMP and for the HTTP statistics page (rtmp_stat), a folder of its own, and a child of the test (daemon off,
/// one process) that disposing always stops, with every process it started. The caller gives the config's rtmp block
/// (and any other main-context lines, such as env), with {port} where the RTMP port goes.
/// </summary>
public sealed class NginxRtmpServer : IAsyncDisposable
{
    private const string ModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private NginxRtmpServer(Process process, string directory, int rtmpPort, int httpPort)
    {
        _process = process;
        Directory = directory;
        RtmpPort = rtmpPort;
        HttpPort = httpPort;
    }

    public string Directory { get; }

    public int RtmpPort { get; }

    public int HttpPort { get; }

    public string ErrorLog => File.Exists(Path.Combine(Directory, "error.log")) ? File.ReadAllText(Path.Combine(Directory, "error.log")) : string.Empty;

    public string Url(string application, string stream) => $"rtmp://127.0.0.1:{RtmpPort}/{application}/{stream}";

    /// <summary>Starts nginx with <paramref name="rtmp"/> (main-context lines: the rtmp block, {port} for the RTMP port) and waits until it accepts connections.</summary>
    public static async Task<NginxRtmpServer> StartAsync(string rtmp)
    {
        Assert.True(File.Exists(ModulePath), $"{ModulePath} is missing: install nginx and libnginx-mod-rtmp ('./v2a test' does).");
        var directory = System.IO.Directory.CreateTempSubdirectory("v2a-nginx-").FullName;
        var rtmpPort = LoopbackPort.Free();
        var httpPort = LoopbackPort.Free();
        var config = $$"""
            load_module {{ModulePath}};
            daemon off;
            master_process off;
            worker_processes 1;
            error_log {{directory}}/error.log info;
            pid {{directory}}/nginx.pid;
            events { worker_connections 256; }
            {{rtmp.Replace("{port}", rtmpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}}
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              server {
                listen 127.0.0.1:{{httpPort}};
                location /stat { rtmp_stat all; }
              }
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var startInfo = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-c", configPath, "-p", directory, "-e", Path.Combine(directory, "error.log") })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new NginxRtmpServer(process, directory, rtmpPort, httpPort);
        try
        {
            await server.WaitUntilAsync(() => Task.FromResult(LoopbackPort.Accepts(rtmpPort)), TimeSpan.FromSeconds(20), "nginx to listen");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The statistics page (rtmp_stat) as XML.</summary>
    public async Task<XDocument> StatAsync() => XDocument.Parse(await _http.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}/stat")));

    /// <summary>Clients playing <paramref name="application"/>/<paramref name="stream"/> (the publisher not counted).</summary>
    public async Task<int> PlayersAsync(string application, string stream) =>
        Stream(await StatAsync(), application, stream)?.Elements("client").Count(c => c.Element("publishing") is null) ?? 0;

    /// <summary>Whether someone publishes <paramref name="application"/>/<paramref name="stream"/>.</summary>
    public async Task<bool> IsPublishedAsync(string application, string stream) =>
        Stream(await StatAsync(), application, stream)?.Element("publishing") is not null;

    /// <summary>The processes nginx started (its exec_push children), still running or not yet reaped.</summary>
    public int ChildProcesses() => System.IO.Directory.EnumerateDirectories("/proc")
        .Select(d => Path.GetFileName(d))
        .Where(name => name.All(char.IsAsciiDigit))
        .Count(pid => ParentOf(pid) == _process.Id);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/> saying what was awaited.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}) while waiting for {what}: {ErrorLog}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}.");
            }

            // nginx gives no other signal: the statistics page is polled.
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _http.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static XElement? Stream(XDocument stat, string application, string stream) =>
        stat.Descendants("application").Where(a => (string?)a.Element("name") == application)
            .Descendants("stream").FirstOrDefault(s => (string?)s.Element("name") == stream);

    private static int? ParentOf(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
