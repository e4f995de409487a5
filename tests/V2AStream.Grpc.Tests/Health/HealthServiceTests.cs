using V2AStream.Grpc.Health.V1;
using V2AStream.Grpc.Tests.Support;
using ServingStatus = V2AStream.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace V2AStream.Grpc.Tests.Health;

[Collection(GrpcServerCollection.Name)]
public sealed class HealthServiceTests(GrpcTestServer server)
{
    private const string Check = "/grpc.health.v1.Health/Check";
    private const string Watch = "/grpc.health.v1.Health/Watch";

    [Fact]
    public async Task Check_WholeServer_Serving()
    {
        var response = await server.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(Check, new HealthCheckRequest());

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(Check, new HealthCheckRequest { Service = "no.such.Service" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Check_StatusSet_ReturnsIt()
    {
        var service = $"svc-{Guid.NewGuid():N}";
        server.Health.SetStatus(service, ServingStatus.NotServing);

        var response = await server.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(Check, new HealthCheckRequest { Service = service });

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamsCurrentThenEachChange()
    {
        var service = $"watched-{Guid.NewGuid():N}";
        using var cancellation = new CancellationTokenSource(EchoPaths.EventTimeout);
        var seen = new List<ServingStatus>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var response in server.Client.ServerStreamingAsync<HealthCheckRequest, HealthCheckResponse>(Watch, new HealthCheckRequest { Service = service }, cancellationToken: cancellation.Token))
            {
                seen.Add(response.Status);
                switch (seen.Count)
                {
                    case 1:
                        server.Health.SetStatus(service, ServingStatus.Serving);
                        break;
                    case 2:
                        server.Health.SetStatus(service, ServingStatus.NotServing);
                        break;
                    default:
                        await cancellation.CancelAsync();
                        break;
                }
            }
        });

        Assert.Equal([ServingStatus.ServiceUnknown, ServingStatus.Serving, ServingStatus.NotServing], seen);
    }
}
