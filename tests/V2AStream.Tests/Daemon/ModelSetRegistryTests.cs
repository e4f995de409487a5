using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Models;
using V2AStream.Daemon;
using V2AStream.Testing.Models;

namespace V2AStream.Tests.Daemon;

public sealed class ModelSetRegistryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-registry-tests-").FullName;
    private readonly GatedKind _gated = new();

    public ModelSetRegistryTests() => TestKinds.WriteSet(_directory, "gated", embedder: """{ "kind": "test-gated" }""");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetAsync_FailedLoad_IsReportedAndTriedAgainOnTheNextRequest()
    {
        await using var registry = CreateRegistry();
        _gated.Fail = true;
        _gated.Gate.Release();

        var error = await Assert.ThrowsAsync<ModelSetException>(() => registry.GetAsync("gated", CancellationToken.None));
        _gated.Fail = false;
        _gated.Gate.Release();
        var set = await registry.GetAsync("gated", CancellationToken.None);

        Assert.Equal(ModelSetErrorReason.MissingFile, error.Reason);
        Assert.Equal((2, 1), (_gated.BuildsStarted, _gated.Built));
        Assert.Same(set, await registry.GetAsync("gated", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_RequestsDuringALoad_ShareIt()
    {
        await using var registry = CreateRegistry();

        var first = registry.GetAsync("gated", CancellationToken.None);
        var second = registry.GetAsync("gated", CancellationToken.None);
        await _gated.Started.WaitAsync(Patience);
        _gated.Gate.Release();

        Assert.Same(await first, await second);
        Assert.Equal(1, _gated.BuildsStarted);
    }

    [Fact]
    public async Task GetAsync_RequestCancelled_StopsWaitingButNotTheLoad()
    {
        await using var registry = CreateRegistry();
        using var leaving = new CancellationTokenSource();

        var waiting = registry.GetAsync("gated", leaving.Token);
        await _gated.Started.WaitAsync(Patience);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _gated.Gate.Release();
        var set = await registry.GetAsync("gated", CancellationToken.None);

        Assert.Equal("gated", set.Name);
        Assert.Equal((1, 1), (_gated.BuildsStarted, _gated.Built));
    }

    [Fact]
    public async Task DisposeAsync_DuringALoad_CancelsItAndKeepsNothing()
    {
        var registry = CreateRegistry();
        var waiting = registry.GetAsync("gated", CancellationToken.None);
        await _gated.Started.WaitAsync(Patience);

        await registry.DisposeAsync().AsTask().WaitAsync(Patience);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, _gated.Built);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => registry.GetAsync("gated", CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_AfterLoads_DisposesTheSets()
    {
        var registry = CreateRegistry();
        _gated.Gate.Release();
        await registry.GetAsync("gated", CancellationToken.None);

        await registry.DisposeAsync();

        Assert.Equal(1, _gated.Disposed);
    }

    [Fact]
    public async Task Create_ListsEverySetAndServesTheReadableOnes()
    {
        await using var registry = CreateRegistry();

        Assert.Equal("builtin", registry.DefaultSet);
        Assert.Equal(["builtin", "gated"], registry.Entries.Select(e => e.Name));
        Assert.All(registry.Entries, e => Assert.True(e.CanLoad, e.Problem));
        Assert.Equal(["builtin", "gated"], registry.Names.Order(StringComparer.Ordinal));
        Assert.Equal(0, _gated.BuildsStarted);
    }

    private ModelSetRegistry CreateRegistry() =>
        new(new ModelSetLoader(TestKinds.Catalog(_directory, TestKinds.With(_gated))), ModelSetManifest.BuiltinName, NullLogger<ModelSetRegistry>.Instance);
}
