using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace V2AStream.Daemon;

/// <summary>
/// Graceful shutdown (DESIGN.md section 8): when the host stops, readiness turns NOT_SERVING (grpc.health.v1 and
/// /readyz, through <see cref="ReadinessHealthCheck"/>), new streams are refused with UNAVAILABLE, running streams
/// get <see cref="DrainTimeout"/> to finish with their summary, and then <see cref="StreamsMustStop"/> fires, ending
/// the rest with UNAVAILABLE.
/// </summary>
internal sealed class ShutdownCoordinator : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenRegistration _registration;
    private volatile bool _draining;

    public ShutdownCoordinator(IHostApplicationLifetime lifetime, StreamLimiter streams, TimeSpan drainTimeout, ILogger<ShutdownCoordinator> logger)
    {
        DrainTimeout = drainTimeout;
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            _draining = true;
            DaemonLog.Draining(logger, streams.Active, drainTimeout.TotalSeconds);
            _stop.CancelAfter(drainTimeout);
        });
    }

    public TimeSpan DrainTimeout { get; }

    /// <summary>True once shutdown has begun: no new stream starts.</summary>
    public bool IsDraining => _draining;

    /// <summary>Cancelled when the drain time is over.</summary>
    public CancellationToken StreamsMustStop => _stop.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _stop.Dispose();
    }
}
