using System.Text.Json;
using V2AStream.Testing;

namespace V2AStream.Tests.Deploy;

/// <summary>
/// What the repository's Dockerfile says about the image it builds (its last stage, the CPU flavour): the environment,
/// entrypoint and command, the user, the HEALTHCHECK command, and what the build stage runs. Read from the file, so the
/// tests start the published program exactly as the image would.
/// </summary>
internal sealed class ContainerImage
{
    private ContainerImage(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> entrypoint, IReadOnlyList<string> command, string user, IReadOnlyList<string> healthcheck, IReadOnlyList<string> buildSteps)
    {
        Environment = environment;
        Entrypoint = entrypoint;
        Command = command;
        User = user;
        Healthcheck = healthcheck;
        BuildSteps = buildSteps;
    }

    /// <summary>ENV of the final stage.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public IReadOnlyList<string> Entrypoint { get; }

    public IReadOnlyList<string> Command { get; }

    public string User { get; }

    /// <summary>The HEALTHCHECK's CMD (exec form).</summary>
    public IReadOnlyList<string> Healthcheck { get; }

    /// <summary>Every RUN of the build stage (the stage named "build").</summary>
    public IReadOnlyList<string> BuildSteps { get; }

    public static ContainerImage Read() => Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile")));

    public static ContainerImage Parse(string dockerfile)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> entrypoint = [];
        IReadOnlyList<string> command = [];
        IReadOnlyList<string> healthcheck = [];
        var buildSteps = new List<string>();
        var user = "root";
        var stage = string.Empty;
        foreach (var instruction in Instructions(dockerfile))
        {
            var space = instruction.IndexOf(' ', StringComparison.Ordinal);
            var keyword = instruction[..space].ToUpperInvariant();
            var rest = instruction[(space + 1)..].Trim();
            switch (keyword)
            {
                case "FROM":
                    var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    stage = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : string.Empty;
                    environment.Clear();
                    user = "root";
                    break;
                case "RUN" when stage == "build":
                    buildSteps.Add(rest);
                    break;
                case "ENV":
                    foreach (var pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var equals = pair.IndexOf('=', StringComparison.Ordinal);
                        environment[pair[..equals]] = pair[(equals + 1)..];
                    }

                    break;
                case "ENTRYPOINT":
                    entrypoint = JsonSerializer.Deserialize<string[]>(rest)!;
                    break;
                case "CMD":
                    command = JsonSerializer.Deserialize<string[]>(rest)!;
                    break;
                case "USER":
                    user = rest;
                    break;
                case "HEALTHCHECK":
                    healthcheck = JsonSerializer.Deserialize<string[]>(rest[(rest.IndexOf(" CMD ", StringComparison.Ordinal) + 5)..])!;
                    break;
            }
        }

        return new ContainerImage(environment, entrypoint, command, user, healthcheck, buildSteps);
    }

    /// <summary>Instructions with their continuation lines joined, comments and blank lines left out.</summary>
    private static IEnumerable<string> Instructions(string dockerfile)
    {
        var current = string.Empty;
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            yield return current + line;
            current = string.Empty;
        }
    }
}
