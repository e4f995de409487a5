using V2AStream.Grpc.Client;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;

namespace V2AStream.Grpc.Tests.Server;

[Collection(GrpcServerCollection.Name)]
public sealed class MetadataTests(GrpcTestServer server)
{
    [Fact]
    public async Task Unary_StringAndBinaryMetadata_EchoedInHeadersAndTrailers()
    {
        byte[] data = [0, 1, 2, 127, 128, 254, 255];
        Metadata? headers = null;
        Metadata? trailers = null;
        var options = new CallOptions
        {
            Headers = new Metadata().Add("x-echo", "request-42").Add("x-data-bin", data),
            ResponseHeadersReceived = h => headers = h,
            TrailersReceived = t => trailers = t,
        };

        await server.Client.UnaryAsync<EchoRequest, EchoReply>(EchoPaths.Unary, new EchoRequest(), options);

        Assert.Equal("request-42", headers?.GetValue("x-echo"));
        Assert.Equal(data, trailers?.GetValueBytes("x-data-bin"));
        Assert.Null(trailers?.Get("grpc-status"));
    }

    [Theory]
    [InlineData("AAECf4D+/w==")]
    [InlineData("AAECf4D+/w")]
    public async Task Unary_BinaryMetadataPaddedOrNot_DecodedTheSame(string base64)
    {
        var response = await RawGrpc.PostAsync(server.Http2Address, EchoPaths.Unary, RawGrpc.Frame(new EchoRequest()), headers: [("x-data-bin", base64)]);

        Assert.Equal("AAECf4D+/w", response.Trailer("x-data-bin"));
    }

    [Fact]
    public void Metadata_InvalidKeyOrValue_RefusedWhenAdded()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-data-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-text", [1, 2]));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("bad key", "v"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-text", "café"));
    }
}
