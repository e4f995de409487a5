using Grpc.Core;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Scenes;
using V2AStream.Onnx;

namespace V2AStream.Daemon;

/// <summary>The one place engine failures become gRPC statuses (DESIGN.md sections 6 and 8), with one-line details.</summary>
internal static class EngineErrors
{
    /// <summary>The status for <paramref name="exception"/>, or null when it is not an engine failure (a bug: UNKNOWN).</summary>
    public static RpcException? ToRpc(Exception exception) => exception switch
    {
        RpcException rpc => rpc,
        SourceRefusedException { Reason: SourceRefusal.Denied } refused => new RpcException(new Status(StatusCode.PermissionDenied, $"Source refused: {refused.Message}")),
        SourceRefusedException { Reason: SourceRefusal.NotFound } refused => new RpcException(new Status(StatusCode.NotFound, $"Source not found: {refused.Message}")),
        SourceRefusedException { Reason: SourceRefusal.Unreachable } refused => new RpcException(new Status(StatusCode.Unavailable, $"Source unreachable: {refused.Message}")),
        SourceRefusedException refused => new RpcException(new Status(StatusCode.InvalidArgument, $"Invalid source: {refused.Message}")),
        MediaException { Reason: MediaErrorReason.FfmpegMissing } media => new RpcException(new Status(StatusCode.Internal, $"The server cannot decode video: {media.Message}")),
        MediaException { Reason: MediaErrorReason.Unreachable or MediaErrorReason.Stalled } media => new RpcException(new Status(StatusCode.Unavailable, media.Message)),
        MediaException { Reason: MediaErrorReason.NotFound } media => new RpcException(new Status(StatusCode.NotFound, media.Message)),
        MediaException { Reason: MediaErrorReason.ResourceLimit } media => new RpcException(new Status(StatusCode.ResourceExhausted, media.Message)),
        MediaException media => new RpcException(new Status(StatusCode.InvalidArgument, media.Message)),
        ModelSetException modelSet => new RpcException(new Status(StatusCode.FailedPrecondition, modelSet.Message)),
        OrtException ort => new RpcException(new Status(StatusCode.Internal, $"Model run failed: {ort.Message}")),
        SceneDetectionException scenes => new RpcException(new Status(StatusCode.InvalidArgument, scenes.Message)),
        _ => null,
    };
}
