using System.Text;
using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Core.Tests.Fuzzing;

namespace V2AStream.Core.Tests.Mapping;

/// <summary>Whatever the bytes, <see cref="SafetensorsFile"/> gives tensors or a <see cref="ModelSetException"/>.</summary>
public sealed class SafetensorsFileFuzzTests
{
    [Fact]
    public void Parse_MutantsOfAValidFile_OnlyTensorsOrModelSetExceptions()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-fuzz-{Guid.NewGuid():N}.safetensors");
        SafetensorsTestWriter.Write(path, [("w", [1, 2, 3, 4, 5, 6], [2, 3]), ("b", [0.5f, -0.5f], [2])], new Dictionary<string, string> { ["labels"] = "[\"rain\",\"crowd\"]" });
        var seed = File.ReadAllBytes(path);
        File.Delete(path);
        var alphabet = Encoding.ASCII.GetBytes("0123456789[]{}\":,-. eEF3216BUI8data_offsetsdtypeshape__metadata__\0\xFF");

        var refused = Mutants.Check<ModelSetException>(Mutants.Of(seed, alphabet), input =>
        {
            var file = SafetensorsFile.Parse("fuzz.safetensors", input);
            foreach (var name in file.TensorNames.ToArray())
            {
                file.ReadFloats(name, [.. file.ShapeOf(name)!]);
            }
        });

        Assert.InRange(refused, Mutants.CasesPerParser / 10, Mutants.CasesPerParser);
    }
}
