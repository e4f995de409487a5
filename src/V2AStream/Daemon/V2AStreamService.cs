using V2AStream.Grpc.Server;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>The v2astream.v1.V2AStream service: its four methods bound to their handlers, checked against the proto.</summary>
internal static class V2AStreamService
{
    public static GrpcServiceDefinition Create(GenerateHandler generate, SourceHandlers sources, InfoHandler info) =>
        new GrpcServiceBuilder(V2AstreamReflection.Descriptor.Services[0])
            .AddDuplexStreaming<GenerateRequest, GenerateResponse>("Generate", generate.HandleAsync)
            .AddServerStreaming<SourceRequest, GenerateResponse>("GenerateFromSource", sources.GenerateFromSourceAsync)
            .AddServerStreaming<SourceRequest, SceneEvent>("DetectScenes", sources.DetectScenesAsync)
            .AddUnary<GetInfoRequest, ServerInfo>("GetInfo", info.GetInfoAsync)
            .Build();
}
