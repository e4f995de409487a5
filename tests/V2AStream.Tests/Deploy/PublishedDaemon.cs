using System.Diagnostics;
using System.Globalization;
using System.Net;
using V2AStream.Testing;

namespace V2AStream.Tests.Deploy;

/// <summary>
/// The published program started the way the image starts it: the Dockerfile's ENTRYPOINT and CMD with /app mapped to
/// the publish folder, its ENV (the two listen addresses moved to free loopback ports), and, when the tests run as root,
/// as an unprivileged user (setpriv, uid and gid 65534). Its output is drained; disposing kills it if it still runs.
/// </summary>
internal sealed class PublishedDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly Lock _lock = new();

    private PublishedDaemon(Process process, int grpcPort, int healthPort)
    {
        _process = process;
        Grpc = new Uri($"http://127.0.0.1:{grpcPort}");
        Health = new Uri($"http://127.0.0.1:{healthPort}");
    }

    public Uri Grpc { get; }

    public Uri Health { get; }

    public int ProcessId => _process.Id;

    public string Log
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public static PublishedDaemon Start(ContainerImage image, string app)
    {
        var grpcPort = LoopbackPort.Free();
        var healthPort = LoopbackPort.Free();
        var command = image.Entrypoint.Concat(image.Command).Select(a => a.StartsWith("/app/", StringComparison.Ordinal) ? Path.Combine(app, a["/app/".Length..]) : a).ToList();
        var asRoot = Environment.UserName == "root";
        var startInfo = new ProcessStartInfo(asRoot ? "setpriv" : command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        var arguments = asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", "--", .. command] : command.Skip(1);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in image.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["V2A__Daemon__Listen"] = $"127.0.0.1:{grpcPort}";
        startInfo.Environment["V2A__Daemon__MetricsListen"] = $"127.0.0.1:{healthPort}";
        var daemon = new PublishedDaemon(Process.Start(startInfo)!, grpcPort, healthPort);
        daemon._process.OutputDataReceived += (_, e) => daemon.Keep(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Keep(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Polls /readyz until it answers 200 (the daemon gives no other sign of readiness); returns the status codes seen.</summary>
    public async Task<List<HttpStatusCode>> WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Health, Timeout = TimeSpan.FromSeconds(2) };
        var seen = new List<HttpStatusCode>();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The published daemon exited ({_process.ExitCode}): {Log}");
            }

            try
            {
                using var reply = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                seen.Add(reply.StatusCode);
                if (reply.StatusCode == HttpStatusCode.OK)
                {
                    return seen;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The published daemon was not ready after {timeout.TotalSeconds:F0} s: {Log}");
    }

    /// <summary>Sends SIGTERM, as docker stop and Kubernetes do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _log.Add(line);
            }
        }
    }
}
