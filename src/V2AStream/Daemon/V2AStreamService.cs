using V2AStream.Daemon.Metrics;
using V2AStream.Grpc;
using V2AStream.Grpc.Server;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// The v2astream.v1.V2AStream service: its four methods bound to their handlers, checked against the proto. Every
/// streaming call that ends with a status other than OK, refused or failed, before or after its stream started,
/// is counted here by status.
/// </summary>
internal static class V2AStreamService
{
    public static GrpcServiceDefinition Create(GenerateHandler generate, SourceHandlers sources, InfoHandler info, DaemonMetrics metrics) =>
        new GrpcServiceBuilder(V2AstreamReflection.Descriptor.Services[0])
            .AddDuplexStreaming<GenerateRequest, GenerateResponse>("Generate", (requests, responses, context) => CountedAsync(metrics, () => generate.HandleAsync(requests, responses, context)))
            .AddServerStreaming<SourceRequest, GenerateResponse>("GenerateFromSource", (request, responses, context) => CountedAsync(metrics, () => sources.GenerateFromSourceAsync(request, responses, context)))
            .AddServerStreaming<SourceRequest, SceneEvent>("DetectScenes", (request, responses, context) => CountedAsync(metrics, () => sources.DetectScenesAsync(request, responses, context)))
            .AddUnary<GetInfoRequest, ServerInfo>("GetInfo", info.GetInfoAsync)
            .Build();

    private static async Task CountedAsync(DaemonMetrics metrics, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            metrics.OnStreamFailed(ex.StatusCode.ToString());
            throw;
        }
        catch (OperationCanceledException)
        {
            metrics.OnStreamFailed(nameof(StatusCode.Cancelled));
            throw;
        }
        catch (Exception)
        {
            metrics.OnStreamFailed(nameof(StatusCode.Unknown));
            throw;
        }
    }
}
