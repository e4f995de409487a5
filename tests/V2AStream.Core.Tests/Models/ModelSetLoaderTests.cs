using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Tests.Mapping;
using V2AStream.Testing.Models;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Models;

[Collection(OrtCollection.Name)]
public sealed class ModelSetLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-loader-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task LoadAsync_Builtin_BuildsThePipelinePartsAndAScheduler()
    {
        await using var set = await BuiltinSet.LoadAsync();

        Assert.IsType<BuiltinPixelEmbedder>(set.Embedder);
        Assert.IsType<IdentityMapper>(set.Mapper);
        Assert.IsType<ProceduralGenerator>(set.Generator);
        Assert.Same(set.Scheduler, set.Scheduler);
        Assert.Null(new ModelSetLoader(new ModelSetCatalog([], [])).Options.Metrics);
    }

    [Fact]
    public async Task LoadAsync_SomeSlots_BuildsOnlyThose()
    {
        await using var set = await new ModelSetLoader(new ModelSetCatalog([], [])).LoadAsync(ModelSetManifest.BuiltinName, [ModelPartSlot.Embedder], CancellationToken.None);

        Assert.Equal([ModelPartSlot.Embedder], set.Slots);
        Assert.Throws<InvalidOperationException>(() => set.Generator);
        Assert.Throws<InvalidOperationException>(() => set.Scheduler);
    }

    [Fact]
    public async Task LoadAsync_OptionalPartOfAnAddedKind_IsBuiltAndDisposedWithTheSet()
    {
        var registry = TestKinds.With(new TowerKind());
        TestKinds.WriteSet(_directory, "towered", extraParts: """, "test_tower": { "kind": "test-tower", "dim": 512 }""");
        var loader = new ModelSetLoader(TestKinds.Catalog(_directory, registry));

        var set = await loader.LoadAsync("towered", CancellationToken.None);
        var tower = set.Get<TowerKind.Tower>(TowerKind.TowerSlot);
        await set.DisposeAsync();

        Assert.Equal(512, tower.Dim);
        Assert.True(tower.Disposed);
        Assert.True(loader.Checker.Check(loader.Catalog.Resolve("towered")).Ok);
    }

    [Fact]
    public async Task LoadAsync_OptionalSlotLeftEmpty_LoadsWithoutIt()
    {
        TestKinds.WriteSet(_directory, "plain");
        var loader = new ModelSetLoader(TestKinds.Catalog(_directory, TestKinds.With(new TowerKind())));

        await using var set = await loader.LoadAsync("plain", CancellationToken.None);

        Assert.False(set.TryGet<TowerKind.Tower>(TowerKind.TowerSlot, out _));
    }

    [Fact]
    public async Task LoadAsync_CancelledWhileBuilding_ThrowsAndDisposesWhatWasBuilt()
    {
        var gated = new GatedKind();
        TestKinds.WriteSet(_directory, "gated", embedder: """{ "kind": "test-gated" }""", extraParts: """, "test_tower": { "kind": "test-tower", "dim": 8 }""");
        var loader = new ModelSetLoader(TestKinds.Catalog(_directory, TestKinds.With(gated, new TowerKind())));
        using var cancellation = new CancellationTokenSource();

        var load = loader.LoadAsync("gated", cancellation.Token);
        await gated.Started.WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load);
        Assert.Equal(0, gated.Built);
    }

    [Fact]
    public async Task LoadAsync_MlpMapperBetweenPixelsAndAudioLdm_FitsAndGenerates()
    {
        // 512-d pixel embeddings -> Table I mlp (512 -> 512) -> AudioLDM's 512-d condition: every pair agrees.
        var folder = AudioLdmContractModels.WriteModelSet(Path.Combine(_directory, "mapped"));
        MapperReference.WriteMlpWeights(Path.Combine(folder, "mlp.safetensors"), string.Empty);
        var manifestPath = Path.Combine(folder, ModelSetManifest.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"mapper\": { \"kind\": \"identity\" }", "\"mapper\": { \"kind\": \"mlp\", \"file\": \"mlp.safetensors\" }", StringComparison.Ordinal));
        var loader = new ModelSetLoader(new ModelSetCatalog([_directory], []));

        await using var set = await loader.LoadAsync("mapped", CancellationToken.None);

        Assert.IsType<MlpMapper>(set.Mapper);
        var condition = set.Mapper.Map(new float[512].Select((_, i) => (i % 7) / 7f).ToArray()).Condition;
        Assert.Equal(40960, (await set.Generator.GenerateAsync(condition, 1, 3, CancellationToken.None)).Length);
        Assert.True(loader.Checker.Check(loader.Catalog.Resolve("mapped")).Ok);
    }

    [Fact]
    public async Task LoadAsync_MapperConditionTheGeneratorCannotTake_FailsAsCheckDoes()
    {
        // The identity mapper passes the embedder's 8-d vectors on; AudioLDM needs 512-d CLAP vectors.
        var folder = AudioLdmContractModels.WriteModelSet(Path.Combine(_directory, "narrow"));
        var manifestPath = Path.Combine(folder, ModelSetManifest.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"embedder\": { \"kind\": \"builtin-pixel\", \"dim\": 512 }", "\"embedder\": { \"kind\": \"test-narrow\" }", StringComparison.Ordinal));
        var catalog = new ModelSetCatalog([_directory], [], TestKinds.With(new NarrowKind()));
        var loader = new ModelSetLoader(catalog);

        var error = await Assert.ThrowsAsync<ModelSetException>(() => loader.LoadAsync("narrow", CancellationToken.None));
        var report = loader.Checker.Check(catalog.Resolve("narrow"));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, error.Reason);
        Assert.Equal("Model set 'audioldm-contract': the identity mapper gives 8 values but the audioldm generator needs 512.", error.Message);
        var failed = Assert.Single(report.Parts, p => !p.Ok);
        Assert.Equal((ModelSetChecker.SetPart, error.Message), (failed.Part, failed.Message));
    }

    [Fact]
    public async Task WeightsInAWeightFolder_CheckListAndLoadAgree()
    {
        // The set's folder holds only the manifest; its files are in a folder of $V2A_MODELS_PATH, as the docs allow.
        var sets = Directory.CreateDirectory(Path.Combine(_directory, "sets")).FullName;
        var weights = AudioLdmContractModels.WriteModelSet(Path.Combine(_directory, "weights", "ldm"));
        var folder = Directory.CreateDirectory(Path.Combine(sets, "ldm")).FullName;
        File.Move(Path.Combine(weights, ModelSetManifest.FileName), Path.Combine(folder, ModelSetManifest.FileName));
        var loader = new ModelSetLoader(new ModelSetCatalog([sets], [Path.Combine(_directory, "weights")]));

        var report = loader.Checker.Check(loader.Catalog.Resolve("ldm"));
        var entry = loader.Checker.List().Single(e => e.Name == "audioldm-contract");
        await using var set = await loader.LoadAsync("ldm", CancellationToken.None);

        Assert.True(report.Ok, string.Join("\n", report.Parts.Where(p => !p.Ok).Select(p => p.Message)));
        Assert.True(entry.CanLoad, entry.Problem);
        Assert.Equal(40960, (await set.Generator.GenerateAsync(new float[512].Select((_, i) => i % 3 - 1f).ToArray(), 1, 1, CancellationToken.None)).Length);
    }

    /// <summary>An embedder of 8-d vectors, to meet a generator that needs another length.</summary>
    private sealed class NarrowKind : ModelPartKind<EmbedderSpec, IFrameEmbedder>
    {
        public override ModelPartSlot Slot => ModelPartSlot.Embedder;

        public override string Name => "test-narrow";

        public override IFrameEmbedder Create(EmbedderSpec spec, ModelPartContext context) => new Narrow();

        public override ModelPartDimensions Dimensions(IFrameEmbedder part) => new(null, part.Dim);

        private sealed class Narrow : IFrameEmbedder
        {
            public string Name => "narrow";

            public int Dim => 8;

            public FrameGeometry Geometry => FrameGeometry.Plain(8, 8);

            public int MaxBatchSize => 1;

            public Task EmbedAsync(IReadOnlyList<VideoFrame> frames, Memory<float> embeddings, CancellationToken cancellationToken) => Task.CompletedTask;

            public void Dispose()
            {
            }
        }
    }
}
