using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Fluent;
using V2AStream.Core.Models;
using V2AStream.Core.Tests.Fuzzing;

namespace V2AStream.Core.Tests.Models;

/// <summary>Whatever model-set.json holds, the reader gives a manifest or a <see cref="ModelSetException"/>; file names stay in the set's folder.</summary>
public sealed class ModelSetManifestReaderFuzzTests
{
    private const string Seed = """
        {
          "name": "clip-audioldm",
          "description": "CLIP, the Table I mapper, AudioLDM",
          "embedder": { "kind": "onnx-image", "file": "clip.onnx", "input": "pixel_values", "output": "image_embeds", "size": 224, "resize": "clip", "mean": [0.48, 0.45, 0.40], "std": [0.26, 0.26, 0.27], "dim": 512 },
          "mapper": { "kind": "mlp", "file": "mapper.safetensors", "temperature": 0.1 },
          "generator": { "kind": "audioldm", "unet": "unet.onnx", "vae_decoder": "vae_decoder.onnx", "vocoder": "vocoder.onnx", "unconditional": "unconditional.safetensors", "scaling_factor": 0.92, "steps": 25, "guidance": 4.5, "sample_rate": 16000 }
        }
        """;

    private static readonly string[] OddValues =
    [
        "null", "0", "-1", "1e400", "3.5", "\"\"", "\"../../etc/passwd\"", "\"/etc/passwd\"", "\"a\\u0000b\"", "\"x\\r\\ny\"", "[]", "{}", "true", "\"x\"", "[null]", "[1e400]",
    ];

    [Theory]
    [InlineData("\"embedder\": null", "embedder")]
    [InlineData("\"file\": \"/etc/passwd\"", "absolute")]
    [InlineData("\"file\": \"../../secrets/clip.onnx\"", "'..'")]
    [InlineData("\"kind\": null", "kind")]
    public void Parse_TheSecurityReviewsManifests_ModelSetExceptionSayingWhat(string replacement, string said)
    {
        var field = replacement[..replacement.IndexOf(':', StringComparison.Ordinal)];
        var json = ReplaceFirst(Seed, field, replacement);

        var error = Assert.Throws<ModelSetException>(() => ModelSetManifestReader.Parse(json, "set/model-set.json"));

        Assert.Equal(ModelSetErrorReason.InvalidManifest, error.Reason);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_ASetWithANullEmbedder_ListedWithItsProblemNotACrash()
    {
        var sets = Directory.CreateTempSubdirectory("v2a-sets-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(sets, "broken"));
            File.WriteAllText(Path.Combine(sets, "broken", ModelSetManifest.FileName), ReplaceFirst(Seed, "\"embedder\"", "\"embedder\": null"));

            var entries = new ModelSetChecker(new ModelSetCatalog([sets], []), sessions: null).List();

            var broken = Assert.Single(entries, e => e.Name == "broken");
            Assert.Equal(ModelSetErrorReason.InvalidManifest, broken.ProblemReason);
            Assert.Contains(entries, e => e.Name == ModelSetManifest.BuiltinName && e.Problem is null);
        }
        finally
        {
            Directory.Delete(sets, recursive: true);
        }
    }

    [Fact]
    public void Parse_MutantsOfAValidManifest_OnlyManifestsOrModelSetExceptions()
    {
        var seed = Encoding.UTF8.GetBytes(Seed);
        var alphabet = Encoding.ASCII.GetBytes("{}[]\":,0123456789-.eE nultrfas/\\\0");

        // Half byte edits, half a field set to an odd JSON value (null, a huge number, a path climbing out...).
        var fieldEdits = from index in Gen.Choose(0, int.MaxValue)
                         from value in Gen.Elements(OddValues)
                         select SetField(index, value);
        var refused = Mutants.Check<ModelSetException>(Gen.OneOf(Mutants.Of(seed, alphabet), fieldEdits), input =>
        {
            var manifest = ModelSetManifestReader.Parse(Encoding.UTF8.GetString(input), "fuzz/model-set.json");
            foreach (var file in manifest.FileNames())
            {
                Assert.False(Path.IsPathRooted(file) || file.Split('/').Contains(".."), $"{file} leaves the set's folder");
            }
        });

        Assert.InRange(refused, Mutants.CasesPerParser / 10, Mutants.CasesPerParser);
    }

    /// <summary>The seed with its <paramref name="index"/>-th field (in document order, any depth) set to <paramref name="value"/>.</summary>
    private static byte[] SetField(int index, string value)
    {
        var root = JsonNode.Parse(Seed)!.AsObject();
        var slots = new List<(JsonObject Parent, string Key)>();
        void Collect(JsonObject node)
        {
            foreach (var (key, child) in node.ToList())
            {
                slots.Add((node, key));
                if (child is JsonObject inner)
                {
                    Collect(inner);
                }
            }
        }

        Collect(root);
        var (parent, name) = slots[index % slots.Count];
        parent[name] = JsonNode.Parse(value);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static string ReplaceFirst(string json, string field, string replacement)
    {
        // Replaces the first "field": value (a scalar or an object) with the replacement text.
        var start = json.IndexOf(field, StringComparison.Ordinal);
        var colon = json.IndexOf(':', start);
        var end = colon + 1;
        while (json[end] == ' ')
        {
            end++;
        }

        if (json[end] == '{')
        {
            var depth = 0;
            do
            {
                depth += json[end] == '{' ? 1 : json[end] == '}' ? -1 : 0;
                end++;
            }
            while (depth > 0);
        }
        else
        {
            end = json.IndexOfAny([',', '}'], end);
        }

        return string.Concat(json.AsSpan(0, start), replacement, json.AsSpan(end));
    }
}
