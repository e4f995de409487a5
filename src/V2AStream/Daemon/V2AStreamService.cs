using Grpc.Core;
using V2AStream.Daemon.Metrics;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Daemon;

/// <summary>
/// The v2astream.v1.V2AStream service (the base class Grpc.Tools generates from the proto): its four methods bound
/// to their handlers. Every call of a streaming method that ends with a status other than OK, refused or failed,
/// before or after its stream started, is counted here by status. One instance serves every call.
/// </summary>
internal sealed class V2AStreamService(GenerateHandler generate, SourceHandlers sources, InfoHandler info, DaemonMetrics metrics) : V2AStreamApi.V2AStreamBase
{
    public override Task Generate(IAsyncStreamReader<GenerateRequest> requestStream, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context) =>
        CountedAsync(() => generate.HandleAsync(requestStream.ReadAllAsync(context.CancellationToken), responseStream, context));

    public override Task GenerateFromSource(SourceRequest request, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context) =>
        CountedAsync(() => sources.GenerateFromSourceAsync(request, responseStream, context));

    public override Task DetectScenes(SourceRequest request, IServerStreamWriter<SceneEvent> responseStream, ServerCallContext context) =>
        CountedAsync(() => sources.DetectScenesAsync(request, responseStream, context));

    public override Task<ServerInfo> GetInfo(GetInfoRequest request, ServerCallContext context) => info.GetInfoAsync(request, context);

    private async Task CountedAsync(Func<Task> call)
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
