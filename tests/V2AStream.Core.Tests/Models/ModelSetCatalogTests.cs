using V2AStream.Core.Models;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Models;

[Collection(OrtCollection.Name)]
public sealed class ModelSetCatalogTests(OrtSessionsFixture ort) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-catalog-tests-").FullName;

    private static string RepositoryModels => Path.Combine(RepositoryPaths.Root, "models");

    [Fact]
    public void Resolve_Builtin_GivesTheEmbeddedSet()
    {
        Assert.Same(ModelSetManifest.Builtin, new ModelSetCatalog([], []).Resolve("builtin"));
    }

    [Fact]
    public void Resolve_Mobilenet_ReadsTheRepositoryManifest()
    {
        var set = new ModelSetCatalog([RepositoryModels], []).Resolve("mobilenet");

        Assert.Equal("mobilenet", set.Name);
        Assert.Equal("onnx-image", set.KindOf(ModelPartSlot.Embedder));
        var embedder = Assert.IsType<EmbedderSpec>(set.Find(ModelPartSlot.Embedder)!.Spec);
        Assert.Equal(("input", "embedding", 224, 1280), (embedder.Input, embedder.Output, embedder.Size, embedder.Dim));
    }

    [Fact]
    public void Resolve_DirectoryPath_ReadsThatFolder()
    {
        var set = new ModelSetCatalog([], []).Resolve(Path.Combine(RepositoryModels, "mobilenet"));

        Assert.Equal("mobilenet", set.Name);
    }

    [Fact]
    public void Resolve_UnknownName_ThrowsNotFoundListingTheSets()
    {
        var error = Assert.Throws<ModelSetException>(() => new ModelSetCatalog([RepositoryModels], []).Resolve("clip-large"));

        Assert.Equal(ModelSetErrorReason.NotFound, error.Reason);
        Assert.Contains("builtin, mobilenet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindFile_SearchesTheSetFolderThenEachWeightFolderAndItsSetSubfolder()
    {
        var first = Directory.CreateDirectory(Path.Combine(_directory, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_directory, "second", "mobilenet")).FullName;
        File.WriteAllText(Path.Combine(second, "mobilenetv2-12-int8-embedding.onnx"), "weights");
        var catalog = new ModelSetCatalog([RepositoryModels], [first, Path.Combine(_directory, "second")]);
        var set = catalog.Resolve("mobilenet");

        Assert.Equal(Path.Combine(second, "mobilenetv2-12-int8-embedding.onnx"), catalog.FindFile(set, EmbedderFile(set)));

        File.WriteAllText(Path.Combine(first, "mobilenetv2-12-int8-embedding.onnx"), "weights");
        Assert.Equal(Path.Combine(first, "mobilenetv2-12-int8-embedding.onnx"), catalog.FindFile(set, EmbedderFile(set)));
    }

    [Fact]
    public void List_SetWithoutItsWeights_ReportsMissingFileAndWhereItLooked()
    {
        var catalog = new ModelSetCatalog([RepositoryModels], [_directory]);

        var entries = new ModelSetChecker(catalog, ort.Sessions).List();

        Assert.True(entries.Single(e => e.Name == "builtin").CanLoad);
        var mobilenet = entries.Single(e => e.Name == "mobilenet");
        Assert.False(mobilenet.CanLoad);
        Assert.Equal(ModelSetErrorReason.MissingFile, mobilenet.ProblemReason);
        Assert.Contains(_directory, mobilenet.Problem, StringComparison.Ordinal);
        Assert.Contains("models/README.md", mobilenet.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void List_BrokenManifest_ReportsItWithoutHidingTheOthers()
    {
        var sets = Directory.CreateDirectory(Path.Combine(_directory, "sets")).FullName;
        Directory.CreateDirectory(Path.Combine(sets, "broken"));
        File.WriteAllText(Path.Combine(sets, "broken", "model-set.json"), "{ not json");

        var entries = new ModelSetChecker(new ModelSetCatalog([sets, RepositoryModels], []), null).List();

        Assert.Equal(["builtin", "broken", "mobilenet"], entries.Select(e => e.Name));
        Assert.Equal(ModelSetErrorReason.InvalidManifest, entries[1].ProblemReason);
    }

    [SharedDataFact("models/mobilenetv2-12-int8-embedding.onnx")]
    public void List_WithRuntimeAndSharedWeights_MobilenetCanLoad()
    {
        var catalog = new ModelSetCatalog([RepositoryModels], [RepositoryPaths.SharedData("models")!]);

        var mobilenet = new ModelSetChecker(catalog, ort.Sessions).List().Single(e => e.Name == "mobilenet");

        Assert.True(mobilenet.CanLoad, mobilenet.Problem);
    }

    [SharedDataFact("models/mobilenetv2-12-int8.onnx")]
    public void Check_ZooFileWithoutTheEmbeddingOutput_ReportsContractMismatchNamingTheTensor()
    {
        // The zoo file as published has only the logits: the fetch step's edit is what adds "embedding".
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "zoo")).FullName;
        File.Copy(RepositoryPaths.SharedData("models/mobilenetv2-12-int8.onnx")!, Path.Combine(folder, "mobilenetv2-12-int8-embedding.onnx"));
        var catalog = new ModelSetCatalog([RepositoryModels], [folder]);

        var entry = new ModelSetChecker(catalog, ort.Sessions).Entry(catalog.Resolve("mobilenet"));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, entry.ProblemReason);
        Assert.Contains("'embedding'", entry.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_ModelsPathVariable_ComesFirstAmongWeightFolders()
    {
        var catalog = ModelSetCatalog.CreateDefault(name => name switch
        {
            ModelSetCatalog.ModelsPathVariable => $"{_directory}/a:{_directory}/b",
            "V2A_CACHE_DIR" => Path.Combine(_directory, "cache"),
            _ => null,
        });

        Assert.Equal([Path.Combine(_directory, "a"), Path.Combine(_directory, "b"), Path.Combine(_directory, "cache", "models")], catalog.WeightDirectories.Take(3));
        Assert.Contains(RepositoryModels, catalog.SetDirectories);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string EmbedderFile(ModelSetManifest set) => ((EmbedderSpec)set.Find(ModelPartSlot.Embedder)!.Spec).File!;
}
