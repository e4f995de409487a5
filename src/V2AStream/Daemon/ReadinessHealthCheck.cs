using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace V2AStream.Daemon;

/// <summary>
/// Whether the daemon takes new streams: healthy with how many run; unhealthy until the warm-up has run and once shutdown
/// has begun. It decides grpc.health.v1 (the whole server and v2astream.v1.V2AStream: NOT_SERVING while warming up or
/// draining) and /readyz (503).
/// </summary>
internal sealed class ReadinessHealthCheck(ShutdownCoordinator shutdown, DaemonWarmup warmup, StreamLimiter streams) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            shutdown.IsDraining ? HealthCheckResult.Unhealthy("draining")
            : !warmup.IsDone ? HealthCheckResult.Unhealthy("warming up")
            : HealthCheckResult.Healthy($"ready: {streams.Active} of {streams.MaxStreams} streams"));
}
