using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using V2AStream.Client;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>Graceful shutdown (DESIGN.md section 8): running streams drain, then end with UNAVAILABLE; no child is left.</summary>
public sealed class DaemonShutdownTests(DaemonFixture clips) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Stop_StreamStillRunningAfterDrainTime_EndsWithUnavailableAndNoChild()
    {
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, ShutdownTimeout = TimeSpan.FromMilliseconds(500) };
        var host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
        await using (host)
        {
            var started = new TaskCompletionSource();
            var call = Task.Run(async () =>
            {
                await foreach (var response in DaemonCalls.GenerateStreamAsync(host.GrpcAddress, EndlessFeed(), null, CancellationToken.None))
                {
                    if (response.EventCase == GenerateResponse.EventOneofCase.Progress)
                    {
                        started.TrySetResult();
                    }
                }
            });
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await host.StopAsync();

            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Contains("shut down", error.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stop_HealthWatched_NotServingThenTheWatchEnds()
    {
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty };
        var host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
        await using (host)
        {
            using var channel = DaemonChannel.Create(host.GrpcAddress);
            using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "v2astream.v1.V2AStream" });
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

            var stopping = host.StopAsync();

            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
            Assert.False(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
            await stopping;
        }
    }

    /// <summary>A live feed that never ends: the clip's TS, looped, a little at a time.</summary>
    private async IAsyncEnumerable<GenerateRequest> EndlessFeed()
    {
        yield return new GenerateRequest { Config = DaemonCalls.Config() };
        var bytes = await File.ReadAllBytesAsync(clips.Ts);
        for (var offset = 0; ; offset = (offset + 65536) % bytes.Length)
        {
            yield return new GenerateRequest { Media = ByteString.CopyFrom(bytes, offset, Math.Min(65536, bytes.Length - offset)) };
            if (offset > bytes.Length / 4)
            {
                await Task.Delay(100);
            }
        }
    }
}
