using System.Collections.Concurrent;

namespace V2AStream.Tests.Grpc;

/// <summary>What the Echo handlers report back to the tests, per call id: entered, cancelled.</summary>
public sealed class EchoProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _entered = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public Task Entered(string id) => Get(_entered, id).Task;

    public Task Cancelled(string id) => Get(_cancelled, id).Task;

    public void MarkEntered(string id) => Get(_entered, id).TrySetResult();

    public void MarkCancelled(string id) => Get(_cancelled, id).TrySetResult();

    private static TaskCompletionSource Get(ConcurrentDictionary<string, TaskCompletionSource> map, string id) =>
        map.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
