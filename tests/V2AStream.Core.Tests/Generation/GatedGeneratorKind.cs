using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Tests.Generation;

/// <summary>"test-gated-generator": hands a set the test's <see cref="GatedGenerator"/> (of full-length blocks), so a pipeline's model runs wait for the test.</summary>
internal sealed class GatedGeneratorKind(GatedGenerator generator) : ModelPartKind<GeneratorSpec, IAudioGenerator>
{
    public const string KindName = "test-gated-generator";

    public GatedGeneratorKind()
        : this(new GatedGenerator(BlockTiming.GeneratedSamplesPerMultiple))
    {
    }

    public GatedGenerator Generator => generator;

    public override ModelPartSlot Slot => ModelPartSlot.Generator;

    public override string Name => KindName;

    public override IAudioGenerator Create(GeneratorSpec spec, ModelPartContext context) => generator;

    public override ModelPartDimensions Dimensions(IAudioGenerator part) => new(null, null);

    /// <summary>Loads a set of the builtin embedder and mapper with this generator.</summary>
    public async Task<LoadedModelSet> LoadAsync(string directory, GenerationSchedulerOptions? scheduler = null)
    {
        var folder = Testing.Models.TestKinds.WriteSet(directory, "gated-generation");
        var manifest = Path.Combine(folder, ModelSetManifest.FileName);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("builtin-procedural", KindName, StringComparison.Ordinal));
        var catalog = new ModelSetCatalog([directory], [], Testing.Models.TestKinds.With(this));
        return await new ModelSetLoader(catalog, new ModelSetLoaderOptions { Generation = scheduler ?? new GenerationSchedulerOptions() }).LoadAsync("gated-generation", CancellationToken.None);
    }
}
