using Google.Protobuf.Reflection;

namespace V2AStream.Grpc.Server;

/// <summary>
/// A service ready to map: its full name, its methods with their handlers, and (when built from a
/// descriptor) the proto files reflection serves for it. Made by <see cref="GrpcServiceBuilder"/>.
/// </summary>
public sealed class GrpcServiceDefinition
{
    internal GrpcServiceDefinition(string name, ServiceDescriptor? descriptor, IReadOnlyList<GrpcMethodDefinition> methods)
    {
        Name = name;
        Descriptor = descriptor;
        Methods = methods;
    }

    /// <summary>Full name, e.g. "grpc.health.v1.Health".</summary>
    public string Name { get; }

    /// <summary>The proto service, or null for a service built by name only (then reflection lists it without files).</summary>
    public ServiceDescriptor? Descriptor { get; }

    /// <summary>Names of the methods that have handlers.</summary>
    public IEnumerable<string> MethodNames => Methods.Select(m => m.Name);

    internal IReadOnlyList<GrpcMethodDefinition> Methods { get; }
}
