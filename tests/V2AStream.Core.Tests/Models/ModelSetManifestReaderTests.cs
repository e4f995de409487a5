using V2AStream.Core.Embedding;
using V2AStream.Core.Models;
using V2AStream.Testing.Models;

namespace V2AStream.Core.Tests.Models;

public sealed class ModelSetManifestReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-manifest-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Default_HoldsTheProgramsKindsInTheirSlots()
    {
        var registry = ModelPartRegistry.Default;

        Assert.Equal(["embedder", "mapper", "generator", "audio_embedder"], registry.Slots.Select(s => s.Name));
        Assert.False(registry.FindSlot("audio_embedder")!.Required);
        Assert.Equal(["builtin-pixel", "onnx-image"], registry.NamesOf(ModelPartSlot.Embedder));
        Assert.Equal(["onnx-audio"], registry.NamesOf(IAudioEmbedder.Slot));
        Assert.True(registry.Get(IAudioEmbedder.Slot, "onnx-audio").NeedsOnnxRuntime);
        Assert.Equal(["identity", "mlp", "prototype"], registry.NamesOf(ModelPartSlot.Mapper));
        Assert.Equal(["audioldm", "builtin-procedural"], registry.NamesOf(ModelPartSlot.Generator));
        Assert.True(registry.Get(ModelPartSlot.Generator, "audioldm").NeedsOnnxRuntime);
        Assert.False(registry.Get(ModelPartSlot.Mapper, "mlp").NeedsOnnxRuntime);
    }

    [Fact]
    public void Read_UnknownKind_NamesTheKindsOfThatSlot()
    {
        var folder = TestKinds.WriteSet(_directory, "odd", embedder: """{ "kind": "clip-large" }""");

        var error = Assert.Throws<ModelSetException>(() => ModelSetManifestReader.Read(folder));

        Assert.Equal(ModelSetErrorReason.UnknownKind, error.Reason);
        Assert.Contains("embedder kind 'clip-large' is unknown; use one of builtin-pixel, onnx-image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingRequiredPart_SaysWhichAndItsKinds()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "half")).FullName;
        File.WriteAllText(Path.Combine(folder, ModelSetManifest.FileName), """{ "name": "half", "embedder": { "kind": "builtin-pixel" }, "mapper": { "kind": "identity" } }""");

        var error = Assert.Throws<ModelSetException>(() => ModelSetManifestReader.Read(folder));

        Assert.Equal(ModelSetErrorReason.InvalidManifest, error.Reason);
        Assert.Contains("\"generator\" part (kinds: audioldm, builtin-procedural)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PartOfASlotNobodyDeclares_IsLeftOutAndListed()
    {
        // As an export for a newer program may write it.
        var folder = TestKinds.WriteSet(_directory, "towered", extraParts: """, "test_tower": { "kind": "test-tower", "dim": 512 }""");

        var manifest = ModelSetManifestReader.Read(folder);
        var report = new ModelSetChecker(new ModelSetCatalog([], []), null).Check(manifest);

        Assert.Equal(["embedder", "mapper", "generator"], manifest.Parts.Select(p => p.Slot.Name));
        Assert.Equal(["test_tower"], manifest.IgnoredParts);
        Assert.True(report.Ok);
        Assert.Contains(report.Parts, p => p.Part == "test_tower" && p.Message.StartsWith("not used", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_OptionalPartOfAnAddedKind_IsParsedIntoItsOwnSpec()
    {
        var registry = TestKinds.With(new TowerKind());
        var folder = TestKinds.WriteSet(_directory, "towered", extraParts: """, "test_tower": { "kind": "test-tower", "dim": 512, "file": "tower.onnx" }""");

        var manifest = ModelSetManifestReader.Read(folder, registry);

        Assert.Equal(["embedder", "mapper", "generator", "test_tower"], manifest.Parts.Select(p => p.Slot.Name));
        var tower = Assert.IsType<TowerKind.Spec>(manifest.Find(TowerKind.TowerSlot)!.Spec);
        Assert.Equal((512, "tower.onnx"), (tower.Dim, tower.File));
        Assert.Equal("builtin-pixel -> identity -> builtin-procedural, test_tower: test-tower", manifest.Describe());
        Assert.Equal(["embedder", "mapper", "generator", "audio_embedder", "test_tower"], registry.Slots.Select(s => s.Name));
    }

    [Fact]
    public void Read_AddedKindsOwnValidation_RunsAtRead()
    {
        var folder = TestKinds.WriteSet(_directory, "towered", extraParts: """, "test_tower": { "kind": "test-tower", "dim": 0 }""");

        var error = Assert.Throws<ModelSetException>(() => ModelSetManifestReader.Read(folder, TestKinds.With(new TowerKind())));

        Assert.Equal(ModelSetErrorReason.InvalidManifest, error.Reason);
        Assert.Contains("positive \"dim\"", error.Message, StringComparison.Ordinal);
    }
}
