using V2AStream.Testing;
using YamlDotNet.RepresentationModel;

namespace V2AStream.Tests.Deploy;

/// <summary>The YAML documents of deploy/*.yaml, parsed (YamlDotNet), with a few ways to walk them.</summary>
internal static class KubernetesManifests
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy");

    /// <summary>Every document of one file.</summary>
    public static IReadOnlyList<YamlMappingNode> Read(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, file)))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    /// <summary>The documents of <paramref name="kind"/> in every manifest file (the adapter's values are not one).</summary>
    public static IReadOnlyList<YamlMappingNode> OfKind(string kind) =>
        ManifestFiles.SelectMany(Read).Where(d => Text(d, "kind") == kind).ToList();

    public static IEnumerable<string> ManifestFiles => ["v2astream.yaml", "v2astream-gpu.yaml"];

    public static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    public static YamlNode? Find(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    public static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    public static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) => ((YamlSequenceNode)Node(node, path)).Children.Cast<YamlMappingNode>();

    public static IReadOnlyList<string> Strings(YamlNode node, params string[] path) => ((YamlSequenceNode)Node(node, path)).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    /// <summary>A container's environment variable, or null.</summary>
    public static string? Env(YamlMappingNode container, string name) =>
        Find(container, "env") is YamlSequenceNode env
            ? env.Children.Cast<YamlMappingNode>().Where(e => Text(e, "name") == name).Select(e => Text(e, "value")).FirstOrDefault()
            : null;
}
