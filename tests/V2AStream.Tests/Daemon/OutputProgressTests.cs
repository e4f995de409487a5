using Google.Protobuf;
using Grpc.Core;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>A client that stops reading its audio does not keep its stream slot, pipeline and ffmpeg child for ever.</summary>
public sealed class OutputProgressTests(DaemonFixture clips) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Generate_ClientStopsReading_StreamEndedAfterTheTimeoutAndItsChildReaped()
    {
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 1, OutputProgressTimeout = TimeSpan.FromSeconds(2) };
        var host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
        await using (host)
        {
            using var stop = new CancellationTokenSource();
            var responses = DaemonCalls.GenerateStreamAsync(host.GrpcAddress, LiveFeed(stop.Token), null, stop.Token).GetAsyncEnumerator();
            try
            {
                Assert.True(await responses.MoveNextAsync());
                Assert.Equal(GenerateResponse.EventOneofCase.Started, responses.Current.EventCase);
                Assert.Equal(1u, (await DaemonCalls.GetInfoAsync(host.GrpcAddress)).Limits.ActiveStreams);

                // From here on the client reads nothing: the daemon's writes stall on HTTP/2 flow control.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while ((await DaemonCalls.GetInfoAsync(host.GrpcAddress)).Limits.ActiveStreams > 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.Equal(0u, (await DaemonCalls.GetInfoAsync(host.GrpcAddress)).Limits.ActiveStreams);
                Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
            }
            finally
            {
                await stop.CancelAsync();
                await DisposeQuietlyAsync(responses);
            }
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<GenerateResponse> responses)
    {
        try
        {
            await responses.DisposeAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException)
        {
        }
    }

    /// <summary>The config, then the clip's TS looped for ever, a little at a time: a live feed.</summary>
    private async IAsyncEnumerable<GenerateRequest> LiveFeed([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new GenerateRequest { Config = DaemonCalls.Config() };
        var bytes = await File.ReadAllBytesAsync(clips.Ts, cancellationToken);
        for (var offset = 0; !cancellationToken.IsCancellationRequested; offset = (offset + 65536) % bytes.Length)
        {
            yield return new GenerateRequest { Media = ByteString.CopyFrom(bytes, offset, Math.Min(65536, bytes.Length - offset)) };
            await Task.Delay(20, cancellationToken);
        }
    }
}
