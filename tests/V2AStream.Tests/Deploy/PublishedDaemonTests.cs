using System.Globalization;
using System.Net;
using System.Reflection.PortableExecutable;
using Grpc.Core;
using Grpc.Health.V1;
using V2AStream.Client;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Deploy;

/// <summary>
/// The container images' contract, proved without a container engine: the Dockerfile's build step publishes the
/// program, and the output, started with the image's environment, entrypoint and user, warms up, says it is ready, serves
/// a stream and drains on SIGTERM within Docker's stop timeout.
/// </summary>
public sealed class PublishedDaemonTests(PublishedDaemonFixture published) : IClassFixture<PublishedDaemonFixture>
{
    /// <summary>docker stop sends SIGTERM, then SIGKILL after 10 s unless given --time (or run with --stop-timeout).</summary>
    private static readonly TimeSpan DockerStopTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("v2a.dll")]
    [InlineData("V2AStream.Core.dll")]
    [InlineData("V2AStream.Onnx.dll")]
    [InlineData("Grpc.AspNetCore.Server.dll")]
    [InlineData("Google.Protobuf.dll")]
    public void Publish_Assemblies_AreReadyToRun(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(published.App, assembly)));

        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} has no ReadyToRun code");
    }

    [Fact]
    public void Image_Settings_MatchTheDaemonsDefaultsAndFitDockersStopTimeout()
    {
        var image = ContainerImage.Read();
        var defaults = new DaemonOptions();

        Assert.Equal($"0.0.0.0:{Port(defaults.Listen)}", image.Environment["V2A__Daemon__Listen"]);
        Assert.Equal($"0.0.0.0:{Port(defaults.MetricsListen)}", image.Environment["V2A__Daemon__MetricsListen"]);
        Assert.Equal(["curl", "-fsS", $"http://127.0.0.1:{Port(defaults.MetricsListen)}/readyz"], image.Healthcheck);
        Assert.Equal("2", image.Environment["MALLOC_ARENA_MAX"]);
        Assert.Equal("/models", image.Environment["V2A_MODELS_PATH"]);
        Assert.NotEqual("root", image.User);
        Assert.True(Drain(image) <= DockerStopTimeout - TimeSpan.FromSeconds(2), $"the drain {Drain(image)} leaves no time to exit before docker kills the container");
    }

    [Fact]
    public async Task Published_StartedAsTheImageStartsIt_WarmsUpServesAndDrainsOnSigterm()
    {
        var image = ContainerImage.Read();
        await using var daemon = PublishedDaemon.Start(image, published.App);

        await daemon.WaitReadyAsync(TimeSpan.FromMinutes(2));
        Assert.Contains("Warmed up", daemon.Log, StringComparison.Ordinal);
        using (var channel = DaemonChannel.Create(daemon.Grpc))
        {
            var health = new Health.HealthClient(channel);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Readiness })).Status);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Liveness })).Status);
        }

        var whole = await SummaryAsync(Client(daemon, realtime: false), File.OpenRead(published.Clip), CancellationToken.None);
        Assert.Equal(6_000_000, whole.DurationUs);
        Assert.Equal(6 * 16000UL, whole.TotalSamples);

        // A stream paced at 1x is still running when SIGTERM comes: it finishes inside the drain, and the process exits.
        var index = await MediaByteIndex.ReadAsync(published.Clip, CancellationToken.None);
        var firstAudio = new TaskCompletionSource();
        var live = SummaryAsync(Client(daemon, realtime: true), new MediaPacedStream(File.OpenRead(published.Clip), index!, TimeProvider.System), CancellationToken.None, firstAudio);
        await firstAudio.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var terminated = DateTime.UtcNow;
        daemon.Terminate();

        // The signal is handled on the daemon's own time: readiness goes (503, or the port closed) while the stream drains.
        Assert.True(await ReadinessGoneAsync(daemon, TimeSpan.FromSeconds(5)), "/readyz still said 200 five seconds after SIGTERM");
        Assert.False(live.IsCompleted, "the stream ended before the drain could be seen");

        var refused = await Assert.ThrowsAsync<RpcException>(() => SummaryAsync(Client(daemon, realtime: false), File.OpenRead(published.Clip), CancellationToken.None));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        var drained = await live.WaitAsync(Drain(image) + TimeSpan.FromSeconds(5));
        Assert.Equal(6 * 16000UL, drained.TotalSamples);
        Assert.Equal(0, await daemon.WaitForExitAsync(DockerStopTimeout - (DateTime.UtcNow - terminated)));
    }

    private static StreamClient Client(PublishedDaemon daemon, bool realtime) => new(
        new StreamClientOptions
        {
            Server = daemon.Grpc,
            Config = new StreamConfig
            {
                Realtime = realtime,
                Output = new OutputConfig { Encoding = AudioEncoding.PcmS16Le, SampleRate = 16000, Channels = 1 },
                Generation = new GenerationConfig { Mode = realtime ? Protos.V1.GenerationMode.Live : Protos.V1.GenerationMode.Quality },
            },
        },
        TimeProvider.System);

    private static async Task<StreamSummary> SummaryAsync(StreamClient client, Stream input, CancellationToken cancellationToken, TaskCompletionSource? firstAudio = null)
    {
        await using (input)
        {
            StreamSummary? summary = null;
            await foreach (var response in client.GenerateAsync(input, cancellationToken))
            {
                if (response.EventCase == GenerateResponse.EventOneofCase.Audio)
                {
                    firstAudio?.TrySetResult();
                }

                summary = response.Summary ?? summary;
            }

            return summary ?? throw new InvalidOperationException("The stream ended without a summary.");
        }
    }

    private static async Task<bool> ReadinessGoneAsync(PublishedDaemon daemon, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = daemon.Health, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var reply = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (reply.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static TimeSpan Drain(ContainerImage image) => TimeSpan.Parse(image.Environment["V2A__Daemon__ShutdownTimeout"], CultureInfo.InvariantCulture);

    private static string Port(string endpoint) => endpoint[(endpoint.LastIndexOf(':') + 1)..];
}
