using Google.Protobuf;
using Google.Protobuf.Reflection;
using V2AStream.Grpc.Server.CallHandlers;

namespace V2AStream.Grpc.Server;

/// <summary>
/// Collects the handlers of one service. Built from a <see cref="ServiceDescriptor"/> (e.g.
/// <c>FooReflection.Descriptor.Services[0]</c>), each method is checked against the proto: its
/// name, its shape and its message types, so a mismatch fails at start-up, not on the first call.
/// </summary>
public sealed class GrpcServiceBuilder
{
    private readonly string _serviceName;
    private readonly ServiceDescriptor? _descriptor;
    private readonly List<GrpcMethodDefinition> _methods = [];

    public GrpcServiceBuilder(ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _descriptor = descriptor;
        _serviceName = descriptor.FullName;
    }

    /// <summary>A service known by name only: callable, listed by reflection, but without proto files to describe it.</summary>
    public GrpcServiceBuilder(string serviceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        _serviceName = serviceName;
    }

    public GrpcServiceBuilder AddUnary<TRequest, TResponse>(string name, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add<TRequest, TResponse>(name, GrpcMethodType.Unary, (path, options, logger) =>
            new UnaryCallHandler<TRequest, TResponse>(path, ParserOf<TRequest>(), handler, options, logger));
    }

    public GrpcServiceBuilder AddServerStreaming<TRequest, TResponse>(string name, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add<TRequest, TResponse>(name, GrpcMethodType.ServerStreaming, (path, options, logger) =>
            new ServerStreamingCallHandler<TRequest, TResponse>(path, ParserOf<TRequest>(), handler, options, logger));
    }

    public GrpcServiceBuilder AddClientStreaming<TRequest, TResponse>(string name, Func<IAsyncEnumerable<TRequest>, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add<TRequest, TResponse>(name, GrpcMethodType.ClientStreaming, (path, options, logger) =>
            new ClientStreamingCallHandler<TRequest, TResponse>(path, ParserOf<TRequest>(), handler, options, logger));
    }

    public GrpcServiceBuilder AddDuplexStreaming<TRequest, TResponse>(string name, Func<IAsyncEnumerable<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add<TRequest, TResponse>(name, GrpcMethodType.DuplexStreaming, (path, options, logger) =>
            new DuplexStreamingCallHandler<TRequest, TResponse>(path, ParserOf<TRequest>(), handler, options, logger));
    }

    public GrpcServiceDefinition Build() => new(_serviceName, _descriptor, _methods.ToArray());

    private GrpcServiceBuilder Add<TRequest, TResponse>(string name, GrpcMethodType methodType, Func<string, GrpcServerOptions, Microsoft.Extensions.Logging.ILogger, ServerCallHandler> create)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_methods.Any(m => m.Name == name))
        {
            throw new ArgumentException($"Method '{name}' of {_serviceName} has a handler already: add each method once.", nameof(name));
        }

        if (_descriptor is not null)
        {
            CheckAgainstDescriptor(_descriptor, name, methodType, typeof(TRequest), typeof(TResponse));
        }

        var path = $"/{_serviceName}/{name}";
        _methods.Add(new GrpcMethodDefinition(name, path, methodType, (options, logger) => create(path, options, logger)));
        return this;
    }

    private static void CheckAgainstDescriptor(ServiceDescriptor descriptor, string name, GrpcMethodType methodType, Type requestType, Type responseType)
    {
        var method = descriptor.FindMethodByName(name)
            ?? throw new ArgumentException($"Service {descriptor.FullName} has no method '{name}' in {descriptor.File.Name}: use a name the proto declares.", nameof(name));
        var declared = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => GrpcMethodType.Unary,
            (false, true) => GrpcMethodType.ServerStreaming,
            (true, false) => GrpcMethodType.ClientStreaming,
            _ => GrpcMethodType.DuplexStreaming,
        };
        if (declared != methodType)
        {
            throw new ArgumentException($"{descriptor.FullName}/{name} is {declared} in the proto, not {methodType}: add it with the matching Add method.", nameof(name));
        }

        if (method.InputType.ClrType != requestType || method.OutputType.ClrType != responseType)
        {
            throw new ArgumentException(
                $"{descriptor.FullName}/{name} takes {method.InputType.FullName} and returns {method.OutputType.FullName} in the proto, not {requestType.Name} and {responseType.Name}.",
                nameof(name));
        }
    }

    private static MessageParser<T> ParserOf<T>()
        where T : class, IMessage<T>, new() => new(() => new T());
}
