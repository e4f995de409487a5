using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace V2AStream.Daemon;

/// <summary>
/// Whether the daemon takes new streams: healthy with how many run, unhealthy once shutdown has begun. It decides
/// grpc.health.v1 (the whole server and v2astream.v1.V2AStream: NOT_SERVING while draining) and /readyz (503).
/// </summary>
internal sealed class ReadinessHealthCheck(ShutdownCoordinator shutdown, StreamLimiter streams) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(shutdown.IsDraining
            ? HealthCheckResult.Unhealthy("draining")
            : HealthCheckResult.Healthy($"ready: {streams.Active} of {streams.MaxStreams} streams"));
}
