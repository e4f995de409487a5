using V2AStream.Grpc.Client;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class CompressionTests(GrpcTestServer server)
{
    private static readonly CallOptions Gzip = new() { CompressRequests = true };

    [Fact]
    public async Task Unary_GzipRequest_EchoesUncompressedPayload()
    {
        var request = EchoService.Payload("zipped", 1_000_000);

        var reply = await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, request, Gzip);

        Assert.Equal(request.Payload, reply.Payload);
    }

    [Fact]
    public async Task ClientStreaming_GzipRequests_CountsDecompressedBytes()
    {
        var requests = Enumerable.Range(0, 50).Select(_ => EchoService.Payload("z", 20_000));

        var reply = await server.Client.ClientStreamingAsync<EchoRequest, EchoReply>(EchoPaths.ClientStream, EchoPaths.Sequence(requests), Gzip);

        Assert.Equal(50, reply.MessageCount);
        Assert.Equal(1_000_000, reply.TotalBytes);
    }

    [Fact]
    public async Task Response_AdvertisesGzip()
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()));

        Assert.Contains("gzip", response.Header("grpc-accept-encoding"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnsupportedEncoding_UnimplementedNamingWhatWorks()
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()), headers: [("grpc-encoding", "snappy")]);

        Assert.Equal("12", response.Header("grpc-status"));
        Assert.Contains("gzip", response.Header("grpc-accept-encoding"), StringComparison.Ordinal);
    }
}
