using System.CommandLine;
using System.Text.Json;
using V2AStream.Core.Models;
using V2AStream.Diagnostics;

namespace V2AStream.Cli.Commands;

/// <summary><c>v2a models list [--json]</c> and <c>v2a models check builtin|DIR [--json]</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the model sets, or check one set's files against its manifest.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Command CreateList()
    {
        var json = CommonOptions.Json("Print JSON.");
        var command = new Command("list", "The built-in set and every models/NAME folder with a model-set.json.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var sets = new List<object>();
            var lines = new List<string>();
            foreach (var entry in new ModelSetLoader(ModelSetCatalog.CreateDefault()).Checker.List())
            {
                var manifest = entry.Manifest;
                sets.Add(new
                {
                    name = entry.Name,
                    directory = entry.Directory,
                    description = manifest?.Description,
                    embedder = manifest?.KindOf(ModelPartSlot.Embedder),
                    mapper = manifest?.KindOf(ModelPartSlot.Mapper),
                    generator = manifest?.KindOf(ModelPartSlot.Generator),
                    parts = manifest?.Parts.ToDictionary(p => p.Slot.Name, p => p.Kind.Name),
                    can_load = entry.CanLoad,
                    problem = entry.Problem,
                });
                var parts = manifest is null ? "(unreadable manifest)" : manifest.Describe();
                lines.Add($"{entry.Name,-24} {parts}  {entry.Directory ?? "(built in)"}{(entry.CanLoad ? string.Empty : $"\n{string.Empty,-24} CANNOT LOAD: {entry.Problem}")}");
            }

            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(sets, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                foreach (var line in lines)
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var set = new Argument<string>("set") { Description = "builtin, a set name under models/ (e.g. mobilenet), or a model-set folder." };
        var json = CommonOptions.Json("Print JSON.");
        var command = new Command("check", "Check that a set's files exist and match their contracts (tensor names, shapes, dtypes).") { set, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault());
            ModelSetManifest manifest;
            try
            {
                manifest = loader.Catalog.Resolve(parseResult.GetValue(set)!);
            }
            catch (ModelSetException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            var report = loader.Checker.Check(manifest);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { name = report.Name, directory = report.Directory, ok = report.Ok, parts = report.Parts }, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                foreach (var part in report.Parts)
                {
                    await output.WriteLineAsync($"{(part.Ok ? "ok  " : "FAIL")}  {part.Part,-24} {part.Kind,-18} {part.Message}").ConfigureAwait(false);
                }
            }

            if (report.Ok)
            {
                return 0;
            }

            var first = report.Parts.First(p => !p.Ok);
            await error.WriteLineAsync($"error: model set '{report.Name}' fails its contract ({report.Parts.Count(p => !p.Ok)} problem(s)); first: {first.Message}").ConfigureAwait(false);
            return 1;
        });
        return command;
    }
}
