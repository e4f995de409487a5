using Google.Protobuf.Reflection;
using V2AStream.Grpc.Reflection.V1;
using V2AStream.Grpc.Tests.Echo;
using V2AStream.Grpc.Tests.Support;
using Alpha = V2AStream.Grpc.Reflection.V1Alpha;

namespace V2AStream.Grpc.Tests.Reflection;

[Collection(GrpcServerCollection.Name)]
public sealed class ReflectionServiceTests(GrpcTestServer server)
{
    private const string V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    private const string V1Alpha = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    [Fact]
    public async Task ListServices_V1_ListsEveryMappedService()
    {
        var response = await AskV1(new ServerReflectionRequest { ListServices = string.Empty });

        Assert.Equal(
            ["v2astream.testing.echo.Echo", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task ListServices_V1Alpha_ListsEveryMappedService()
    {
        var responses = new List<Alpha.ServerReflectionResponse>();
        await foreach (var response in server.Client.DuplexStreamingAsync<Alpha.ServerReflectionRequest, Alpha.ServerReflectionResponse>(
            V1Alpha, EchoPaths.Sequence([new Alpha.ServerReflectionRequest { ListServices = "*" }])))
        {
            responses.Add(response);
        }

        var names = Assert.Single(responses).ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("v2astream.testing.echo.Echo", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task FileContainingSymbol_Service_ReturnsItsFile()
    {
        var response = await AskV1(new ServerReflectionRequest { FileContainingSymbol = "v2astream.testing.echo.Echo" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal(EchoReflection.Descriptor.Name, file.Name);
        Assert.Equal("Echo", Assert.Single(file.Service).Name);
    }

    [Theory]
    [InlineData("v2astream.testing.echo.EchoRequest")]
    [InlineData("v2astream.testing.echo.Echo.Duplex")]
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus")]
    public async Task FileContainingSymbol_MessageMethodOrEnum_Found(string symbol)
    {
        var response = await AskV1(new ServerReflectionRequest { FileContainingSymbol = symbol });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
    }

    [Fact]
    public async Task FileByFilename_HealthProto_ReturnsIt()
    {
        var response = await AskV1(new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc.health.v1", file.Package);
    }

    [Fact]
    public async Task FileContainingSymbol_Unknown_NotFoundErrorResponse()
    {
        var response = await AskV1(new ServerReflectionRequest { FileContainingSymbol = "no.such.Thing" });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Equal("no.such.Thing", response.OriginalRequest.FileContainingSymbol);
    }

    private async Task<ServerReflectionResponse> AskV1(ServerReflectionRequest request)
    {
        var responses = new List<ServerReflectionResponse>();
        await foreach (var response in server.Client.DuplexStreamingAsync<ServerReflectionRequest, ServerReflectionResponse>(V1, EchoPaths.Sequence([request])))
        {
            responses.Add(response);
        }

        return Assert.Single(responses);
    }
}
