namespace V2AStream.Grpc.Server;

/// <summary>
/// The services mapped on this server, in mapping order; reflection answers from it. One per
/// application (a DI singleton); thread-safe.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Lock _lock = new();
    private readonly List<GrpcServiceDefinition> _services = [];
    private bool _unimplementedMapped;

    public IReadOnlyList<GrpcServiceDefinition> Services
    {
        get
        {
            lock (_lock)
            {
                return _services.ToArray();
            }
        }
    }

    internal void Add(GrpcServiceDefinition service)
    {
        lock (_lock)
        {
            if (_services.Any(s => s.Name == service.Name))
            {
                throw new InvalidOperationException($"Service {service.Name} is mapped already: map each service once.");
            }

            _services.Add(service);
        }
    }

    /// <summary>True the first time only: the catch-all UNIMPLEMENTED endpoint is mapped once.</summary>
    internal bool TryClaimUnimplementedEndpoint()
    {
        lock (_lock)
        {
            if (_unimplementedMapped)
            {
                return false;
            }

            _unimplementedMapped = true;
            return true;
        }
    }
}
