using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace V2AStream.Soak;

/// <summary>
/// <c>v2a serve</c> as a child process on free loopback ports, for <c>soak --spawn</c>, so its RSS and children
/// are measured apart from the client's. Its output is drained and the tail kept for the error message.
/// Disposing kills it (and any child it left) and waits.
/// </summary>
internal sealed class SpawnedDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _lock = new();

    private SpawnedDaemon(Process process, Uri grpc, Uri metrics)
    {
        _process = process;
        Grpc = grpc;
        Metrics = metrics;
    }

    public Uri Grpc { get; }

    public Uri Metrics { get; }

    public int ProcessId => _process.Id;

    public string OutputTail
    {
        get
        {
            lock (_lock)
            {
                return string.Join(" | ", _tail);
            }
        }
    }

    /// <param name="extraArguments">More <c>v2a serve</c> flags, e.g. --token-file.</param>
    public static Task<SpawnedDaemon> StartAsync(int maxStreams, string? modelSet, IReadOnlyList<string> extraArguments, TimeSpan readyTimeout, CancellationToken cancellationToken) =>
        StartOnPortAsync(FreePort(), maxStreams, modelSet, extraArguments, readyTimeout, cancellationToken);

    /// <summary>The daemon on gRPC port <paramref name="grpcPort"/> (a daemon started again where clients knew the last one).</summary>
    public static async Task<SpawnedDaemon> StartOnPortAsync(int grpcPort, int maxStreams, string? modelSet, IReadOnlyList<string> extraArguments, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var metricsPort = FreePort();
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown, so it cannot start a daemon: use --server.");
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(SpawnedDaemon).Assembly.Location);
        }

        string[] arguments = ["serve", "--listen", $"127.0.0.1:{grpcPort}", "--health-listen", $"127.0.0.1:{metricsPort}", "--max-streams", Math.Max(maxStreams, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (modelSet is not null)
        {
            startInfo.ArgumentList.Add("--model-set");
            startInfo.ArgumentList.Add(modelSet);
        }

        foreach (var argument in extraArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the daemon.");
        var daemon = new SpawnedDaemon(process, new Uri($"http://127.0.0.1:{grpcPort}"), new Uri($"http://127.0.0.1:{metricsPort}"));
        process.OutputDataReceived += (_, e) => daemon.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await daemon.WaitReadyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Metrics, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The daemon exited with code {_process.ExitCode} before it was ready: {OutputTail}");
            }

            try
            {
                using var reply = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (reply.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            // Polling a child that gives no other signal of readiness.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The daemon was not ready after {timeout.TotalSeconds:F0} s: {OutputTail}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 20)
            {
                _tail.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
