using V2AStream.Core.Models;

namespace V2AStream.Testing.Models;

/// <summary>
/// Registries of the program's kinds plus kinds made for tests, the way a new kind joins (one class each):
/// <see cref="TowerKind"/> fills an optional slot no pipeline stage knows of, <see cref="GatedKind"/> is an embedder whose
/// building waits for the test.
/// </summary>
public static class TestKinds
{
    /// <summary>The program's kinds and <paramref name="extra"/>.</summary>
    public static ModelPartRegistry With(params IModelPartKind[] extra) => new(ModelPartRegistry.Default.Kinds.Concat(extra));

    /// <summary>A catalog over <paramref name="setDirectory"/> reading manifests with <paramref name="registry"/>.</summary>
    public static ModelSetCatalog Catalog(string setDirectory, ModelPartRegistry registry) => new([setDirectory], [], registry);

    /// <summary>Writes DIR/NAME/model-set.json with the builtin parts and <paramref name="extraParts"/> (JSON members, comma-led).</summary>
    public static string WriteSet(string directory, string name, string embedder = """{ "kind": "builtin-pixel" }""", string extraParts = "")
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
        File.WriteAllText(Path.Combine(folder, ModelSetManifest.FileName), $$"""
            { "name": "{{name}}",
              "embedder": {{embedder}},
              "mapper": { "kind": "identity" },
              "generator": { "kind": "builtin-procedural" }{{extraParts}} }
            """);
        return folder;
    }
}
