using System.Globalization;
using NAudio.Wave;
using V2AStream.Soak;
using V2AStream.Tests.Cli;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.ScaleOut;

/// <summary>
/// Two real daemons (child processes) behind haproxy; the one running a stream is SIGKILLed while a
/// <c>v2a stream --realtime --reconnect</c> goes through the proxy: the client goes on through the other daemon and the
/// audio it writes is exactly as long as the video, the lost span silent and reported.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const int ClipSeconds = 8;

    private readonly string _folder = Directory.CreateTempSubdirectory("v2a-failover-").FullName;
    private readonly List<SpawnedDaemon> _daemons = [];

    private string Clip => Path.Combine(_folder, "testsrc-8s.mp4");

    public async Task InitializeAsync()
    {
        await DaemonFixture.TestsrcClipAsync(Clip, ClipSeconds);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            _daemons.Add(await SpawnedDaemon.StartAsync(2, null, [], TimeSpan.FromMinutes(2), CancellationToken.None));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Stream_DaemonKilledBehindHaproxy_GoesOnElsewhereAudioExactlyAsLongAsTheVideo()
    {
        await using var proxy = await Haproxy.StartAsync(_daemons.Select(d => (d.Grpc, d.Metrics)).ToList());
        var wav = Path.Combine(_folder, "out.wav");

        var before = new Dictionary<SpawnedDaemon, double>();
        foreach (var daemon in _daemons)
        {
            before[daemon] = (await MetricsAsync(daemon))["v2a_chunks_sent_total"];
        }

        var streaming = CliRunner.RunAsync("stream", Clip, "--server", proxy.Address.ToString(), "--realtime", "--reconnect", "--out", wav);
        var victim = await DaemonSendingAudioAsync(before, TimeSpan.FromSeconds(60));
        _daemons.Remove(victim);
        await victim.DisposeAsync();
        var (exitCode, _, error) = await streaming;

        Assert.True(exitCode == 0, error);
        Assert.True(error.Contains("the stream broke at", StringComparison.Ordinal), error);
        Assert.Matches(@"1 new calls after 1 interruptions; [0-9.]+ s of audio lost", error);
        using var reader = new WaveFileReader(wav);
        Assert.Equal(ClipSeconds * 16000L, reader.SampleCount);
    }

    /// <summary>The daemon that runs the stream and has sent its first chunks (the warm-up's are in <paramref name="before"/>).</summary>
    private async Task<SpawnedDaemon> DaemonSendingAudioAsync(Dictionary<SpawnedDaemon, double> before, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var daemon in _daemons)
            {
                var metrics = await MetricsAsync(daemon);
                if (metrics["v2a_streams_active"] >= 1 && metrics["v2a_chunks_sent_total"] - before[daemon] >= 2)
                {
                    return daemon;
                }
            }

            // The daemons give no other sign of which one runs the stream.
            await Task.Delay(100);
        }

        throw new TimeoutException("No daemon sent audio.");
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(SpawnedDaemon daemon)
    {
        using var http = new HttpClient { BaseAddress = daemon.Metrics };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(l => l.StartsWith("v2a_", StringComparison.Ordinal) && !l.Contains('{', StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
    }
}
