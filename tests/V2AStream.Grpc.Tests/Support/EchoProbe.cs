using System.Collections.Concurrent;

namespace V2AStream.Grpc.Tests.Support;

/// <summary>What the test handlers report back to the tests, per call id: entered, cancelled, gate.</summary>
public sealed class EchoProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _entered = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _written = new();

    public Task Entered(string id) => Get(_entered, id).Task;

    public Task Cancelled(string id) => Get(_cancelled, id).Task;

    public Task Gate(string id) => Get(_gates, id).Task;

    public void MarkEntered(string id) => Get(_entered, id).TrySetResult();

    public void MarkCancelled(string id) => Get(_cancelled, id).TrySetResult();

    public void OpenGate(string id) => Get(_gates, id).TrySetResult();

    /// <summary>Responses whose WriteAsync completed in the ServerStream call with this id.</summary>
    public int Written(string id) => _written.GetValueOrDefault(id);

    public void MarkWritten(string id) => _written.AddOrUpdate(id, 1, (_, count) => count + 1);

    private static TaskCompletionSource Get(ConcurrentDictionary<string, TaskCompletionSource> map, string id) =>
        map.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
