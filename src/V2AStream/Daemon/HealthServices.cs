using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Daemon;

/// <summary>
/// The service names grpc.health.v1 answers for, as probes ask for them (deploy/ uses both): readiness turns
/// NOT_SERVING while the daemon warms up and while it drains; liveness is SERVING whenever the daemon answers at all.
/// The empty name (the whole server) answers as readiness does.
/// </summary>
internal static class HealthServices
{
    /// <summary>"v2astream.v1.V2AStream": whether new streams are taken (the same check as /readyz).</summary>
    public static string Readiness => V2AStreamApi.Descriptor.FullName;

    /// <summary>"liveness": the process is up and its gRPC port answers (like /healthz); no check can fail it.</summary>
    public const string Liveness = "liveness";
}
