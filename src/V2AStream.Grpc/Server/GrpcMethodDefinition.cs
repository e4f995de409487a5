using Microsoft.Extensions.Logging;
using V2AStream.Grpc.Server.CallHandlers;

namespace V2AStream.Grpc.Server;

/// <summary>One method of a service: its path, shape, and how to make its call handler.</summary>
internal sealed class GrpcMethodDefinition(string name, string path, GrpcMethodType methodType, Func<GrpcServerOptions, ILogger, ServerCallHandler> createHandler)
{
    public string Name { get; } = name;

    /// <summary>"/package.Service/Method".</summary>
    public string Path { get; } = path;

    public GrpcMethodType MethodType { get; } = methodType;

    public ServerCallHandler CreateHandler(GrpcServerOptions options, ILogger logger) => createHandler(options, logger);
}
