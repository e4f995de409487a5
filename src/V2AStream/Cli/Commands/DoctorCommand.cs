using System.CommandLine;
using System.Text.Json;
using V2AStream.Core.Models;
using V2AStream.Diagnostics;

namespace V2AStream.Cli.Commands;

/// <summary><c>v2a doctor [--json]</c>: what works on this machine and how to fix what does not.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "Check ffmpeg, ONNX Runtime, its providers, CUDA and the model sets; exit 0 when the built-in set can run.")
        {
            json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var doctor = new Doctor(ModelSetCatalog.CreateDefault());
            var report = await doctor.CheckAsync(cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    ok = report.BuiltinCanRun,
                    ffmpeg = report.Ffmpeg,
                    ffprobe = report.Ffprobe,
                    onnxruntime = report.OnnxRuntime,
                    providers = report.Providers,
                    cuda = report.Cuda,
                    children = report.ChildGuard,
                    model_sets = report.ModelSets,
                }, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(output, report).ConfigureAwait(false);
            }

            return report.BuiltinCanRun ? 0 : 1;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter output, DoctorReport report)
    {
        foreach (var tool in new[] { report.Ffmpeg, report.Ffprobe, report.OnnxRuntime })
        {
            var line = tool.Found ? $"ok       {tool.Name,-12} {tool.Version} ({tool.Path})" : $"MISSING  {tool.Name,-12} {tool.Problem}";
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (report.OnnxRuntime.Found)
        {
            await output.WriteLineAsync($"         providers    {string.Join(", ", report.Providers)}").ConfigureAwait(false);
            var cuda = report.Cuda.Usable ? $"ok       {"cuda",-12} {report.Cuda.Detail} (--device cuda)" : $"-        {"cuda",-12} not usable: {report.Cuda.Detail}";
            await output.WriteLineAsync(cuda).ConfigureAwait(false);
        }

        var children = report.ChildGuard.Found
            ? $"ok       {"children",-12} die with v2a and have a memory bound ({report.ChildGuard.Path} --pdeathsig, prlimit --data)"
            : $"-        {"children",-12} {report.ChildGuard.Problem}";
        await output.WriteLineAsync(children).ConfigureAwait(false);
        await output.WriteLineAsync("model sets:").ConfigureAwait(false);
        foreach (var set in report.ModelSets)
        {
            var line = set.CanLoad ? $"ok       {set.Name}" : $"CANNOT   {set.Name}: {set.Problem}";
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await output.WriteLineAsync(report.BuiltinCanRun
            ? "The built-in set runs: try './v2a demo'."
            : "The built-in set cannot run: fix the lines marked MISSING above.").ConfigureAwait(false);
    }
}
