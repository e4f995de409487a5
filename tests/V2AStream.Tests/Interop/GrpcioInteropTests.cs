using V2AStream.Tests.Grpc;

namespace V2AStream.Tests.Interop;

/// <summary>The daemon's gRPC stack against a real C-core client: Debian's python3-grpcio through grpc's generic API.</summary>
[Collection(EchoServerCollection.Name)]
public sealed class GrpcioInteropTests(EchoServer server)
{
    [Fact]
    public async Task Unary_FromGrpcio_Echoed()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "unary");

        Assert.Equal("héllo", reply.GetProperty("text").GetString());
        Assert.Equal(100_000, reply.GetProperty("payload_length").GetInt32());
    }

    [Fact]
    public async Task Unary_GzipFromGrpcio_Echoed()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "unary_gzip");

        Assert.Equal("zipped", reply.GetProperty("text").GetString());
        Assert.Equal(200_000, reply.GetProperty("payload_length").GetInt32());
    }

    [Fact]
    public async Task ServerStreaming_FromGrpcio_AllRepliesInOrder()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "server_stream");

        Assert.Equal(Enumerable.Range(0, 100), reply.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task ClientStreaming_FromGrpcio_CountsAll()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "client_stream");

        Assert.Equal(300, reply.GetProperty("message_count").GetInt32());
        Assert.Equal(3_000_000, reply.GetProperty("total_bytes").GetInt64());
    }

    [Fact]
    public async Task Duplex_FromGrpcio_EchoesEach()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "duplex");

        var replies = reply.GetProperty("replies").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToArray();
        Assert.Equal(20, replies.Length);
        for (var i = 0; i < replies.Length; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), replies[i][0].GetString());
            Assert.Equal(i * 1000, replies[i][1].GetInt32());
            Assert.Equal(i, replies[i][2].GetInt32());
        }
    }

    [Fact]
    public async Task Status_FromGrpcio_CodeAndPercentEncodedMessage()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "status");

        Assert.Equal("NOT_FOUND", reply.GetProperty("code").GetString());
        Assert.Equal("scène introuvable ✓ 100%", reply.GetProperty("details").GetString());
    }

    [Fact]
    public async Task StreamStatus_FromGrpcio_MessagesThenStatus()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "stream_status");

        Assert.Equal("ABORTED", reply.GetProperty("code").GetString());
        Assert.Equal(3, reply.GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task UnknownMethod_FromGrpcio_Unimplemented()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "unknown");

        Assert.Equal("UNIMPLEMENTED", reply.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deadline_FromGrpcio_DeadlineExceededAndHandlerCancelled()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "deadline");

        Assert.Equal("DEADLINE_EXCEEDED", reply.GetProperty("code").GetString());
        await server.Probe.Cancelled("python-deadline").WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Health_FromGrpcio_CheckAndWatch()
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, "health");

        Assert.Equal(1, reply.GetProperty("serving").GetInt32());
        Assert.Equal("NOT_FOUND", reply.GetProperty("unknown").GetString());
        Assert.Equal(1, reply.GetProperty("watch_first").GetInt32());
    }

    [Theory]
    [InlineData("reflection_v1")]
    [InlineData("reflection_v1alpha")]
    public async Task Reflection_FromGrpcio_ListsServicesAndFindsSymbol(string testCase)
    {
        var reply = await GrpcioClient.RunAsync(server.Http2Address, testCase);

        var services = reply.GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("v2astream.testing.echo.Echo", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
        Assert.Equal(V2AStream.Tests.Grpc.Echo.EchoReflection.Descriptor.Name, reply.GetProperty("symbol_file_name").GetString());
    }
}
