using System.Threading.Channels;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

public sealed class KestrelLimitsTests
{
    [Fact]
    public async Task Duplex_IdleLongerThanMinDataRateGrace_StaysOpen()
    {
        // Kestrel would end a request body slower than 1 MB/s after 1.5 s; a live stream idles far longer.
        var strict = new GrpcTestServer(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1_000_000, gracePeriod: TimeSpan.FromSeconds(1.5)));
        await strict.InitializeAsync();
        try
        {
            var requests = Channel.CreateUnbounded<EchoRequest>();
            await requests.Writer.WriteAsync(new EchoRequest { Text = "before" });
            var texts = new List<string>();
            await foreach (var reply in strict.Client.DuplexStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Duplex, requests.Reader.ReadAllAsync()).WithCancellation(default))
            {
                texts.Add(reply.Text);
                if (texts.Count == 1)
                {
                    // The idle time is what is under test, not a synchronisation.
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    await requests.Writer.WriteAsync(new EchoRequest { Text = "after idling" });
                    requests.Writer.Complete();
                }
            }

            Assert.Equal(["before", "after idling"], texts);
        }
        finally
        {
            await strict.DisposeAsync();
        }
    }
}
