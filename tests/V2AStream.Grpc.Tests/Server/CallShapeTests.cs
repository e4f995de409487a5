using System.Threading.Channels;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class CallShapeTests(GrpcTestServer server)
{
    [Fact]
    public async Task Unary_SmallMessage_EchoesIt()
    {
        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest { Text = "hello" });

        Assert.Equal("hello", reply.Text);
    }

    [Fact]
    public async Task Unary_MessageLargerThanFlowControlWindow_EchoesEveryByte()
    {
        // 3 MiB spans many DATA frames and more than the 768 KiB stream window in both directions.
        var request = EchoService.Payload("large", 3 * 1024 * 1024);

        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request);

        Assert.Equal(request.Payload, reply.Payload);
    }

    [Fact]
    public async Task ServerStreaming_ThousandReplies_ArriveAllInOrder()
    {
        var replies = new List<EchoReply>();
        await foreach (var reply in server.Client.ServerStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ServerStream, new EchoRequest { Text = "s", Repeat = 1000 }))
        {
            replies.Add(reply);
        }

        Assert.Equal(Enumerable.Range(0, 1000), replies.Select(r => r.Index));
    }

    [Fact]
    public async Task ServerStreaming_ZeroReplies_EndsOk()
    {
        var count = 0;
        await foreach (var unused in server.Client.ServerStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ServerStream, new EchoRequest { Repeat = 0 }))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task ClientStreaming_ManySmallMessages_CountsAll()
    {
        var requests = Enumerable.Range(0, 2000).Select(i => EchoService.Payload("small", 100));

        var reply = await server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, EchoPaths.Sequence(requests));

        Assert.Equal(2000, reply.MessageCount);
        Assert.Equal(200_000, reply.TotalBytes);
    }

    [Fact]
    public async Task ClientStreaming_LargeMessages_CountsEveryByte()
    {
        var requests = Enumerable.Range(0, 4).Select(i => EchoService.Payload("big", 3 * 1024 * 1024 + i));

        var reply = await server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, EchoPaths.Sequence(requests));

        Assert.Equal(4, reply.MessageCount);
        Assert.Equal(4L * 3 * 1024 * 1024 + 6, reply.TotalBytes);
    }

    [Fact]
    public async Task Duplex_EachReplyReadBeforeNextRequest_EchoesInterleaved()
    {
        // The next request is only written after the previous reply arrived: proves true duplex, no buffering to the end.
        var requests = Channel.CreateUnbounded<EchoRequest>();
        await requests.Writer.WriteAsync(new EchoRequest { Text = "0" });
        var texts = new List<string>();
        await foreach (var reply in server.Client.DuplexStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Duplex, requests.Reader.ReadAllAsync()))
        {
            texts.Add(reply.Text);
            if (texts.Count < 5)
            {
                await requests.Writer.WriteAsync(new EchoRequest { Text = texts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            else
            {
                requests.Writer.Complete();
            }
        }

        Assert.Equal(["0", "1", "2", "3", "4"], texts);
    }

    [Fact]
    public async Task Duplex_ManyRequestsAtOnce_EchoesEachInOrder()
    {
        var requests = Enumerable.Range(0, 500).Select(i => EchoService.Payload(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 10_000));
        var replies = new List<EchoReply>();
        await foreach (var reply in server.Client.DuplexStreamingAsync<EchoRequest, EchoReply>(EchoPaths.Duplex, EchoPaths.Sequence(requests)))
        {
            replies.Add(reply);
        }

        Assert.Equal(Enumerable.Range(0, 500), replies.Select(r => r.Index));
        Assert.All(replies, r => Assert.Equal(10_000, r.Payload.Length));
    }
}
