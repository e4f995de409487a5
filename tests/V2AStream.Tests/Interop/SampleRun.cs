using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace V2AStream.Tests.Interop;

/// <summary>What a sample client did: its exit code and everything it wrote.</summary>
internal sealed partial record SampleRun(int ExitCode, string Output, string Error)
{
    /// <summary>The --json lines, each one object with one property (the event's kind).</summary>
    public IReadOnlyList<(string Kind, JsonElement Value)> Events =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.EnumerateObject().Single())
            .Select(property => (property.Name, property.Value.Clone()))
            .ToList();

    public JsonElement Single(string kind) => Events.Single(e => e.Kind == kind).Value;

    public IEnumerable<JsonElement> All(string kind) => Events.Where(e => e.Kind == kind).Select(e => e.Value);

    public void AssertSucceeded() => Assert.True(ExitCode == 0, $"the client exited {ExitCode}: {Error}");

    /// <summary>The "scene N: START s - ..." lines the clients print.</summary>
    public List<(int Index, double Seconds)> SceneStarts() =>
        SceneLine().Matches(Output)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"^scene (\d+): (\d+\.\d+) s - ", RegexOptions.Multiline)]
    private static partial Regex SceneLine();
}
