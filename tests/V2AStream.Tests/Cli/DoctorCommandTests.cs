using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Core.Models;
using V2AStream.Diagnostics;
using V2AStream.Onnx;

namespace V2AStream.Tests.Cli;

public sealed class DoctorCommandTests
{
    [Fact]
    public async Task Doctor_Json_ReportsToolsProvidersAndBuiltinSetWithExitZero()
    {
        var output = new StringWriter();
        var exitCode = await CliApp.InvokeAsync(["doctor", "--json"], output, new StringWriter(), CancellationToken.None);

        using var report = JsonDocument.Parse(output.ToString());
        var root = report.RootElement;
        Assert.Equal(0, exitCode);
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.True(root.GetProperty("ffmpeg").GetProperty("found").GetBoolean());
        Assert.True(root.GetProperty("ffprobe").GetProperty("found").GetBoolean());
        Assert.Equal(OrtLibraryLocator.PinnedVersion, root.GetProperty("onnxruntime").GetProperty("version").GetString());
        Assert.Contains("CPUExecutionProvider", root.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        var builtin = root.GetProperty("model_sets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "builtin");
        Assert.True(builtin.GetProperty("can_load").GetBoolean());
    }

    [Fact]
    public async Task Doctor_Text_SaysTheBuiltinSetRuns()
    {
        var output = new StringWriter();
        var exitCode = await CliApp.InvokeAsync(["doctor"], output, new StringWriter(), CancellationToken.None);
        Assert.Equal(0, exitCode);
        Assert.Contains("ok       builtin", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutOnnxRuntime_ReportsWhereItLookedAndBuiltinStillRuns()
    {
        var locator = new OrtLibraryLocator(name => name == OrtLibraryLocator.LibraryVariable ? "/nonexistent/libonnxruntime.so.1" : null, "/nonexistent");
        var report = await new Doctor(locator, new ModelSetCatalog([], [])).CheckAsync(CancellationToken.None);
        Assert.False(report.OnnxRuntime.Found);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", report.OnnxRuntime.Problem, StringComparison.Ordinal);
        Assert.Empty(report.Providers);
        Assert.True(report.BuiltinCanRun);
    }

    [Fact]
    public async Task Check_ModelSetNeedingMissingFile_CannotLoadAndNamesTheFile()
    {
        var models = Directory.CreateTempSubdirectory("v2a-sets-").FullName;
        var directory = Directory.CreateDirectory(Path.Combine(models, "clip-test")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "model-set.json"), """
                { "name": "clip-test",
                  "embedder": { "kind": "onnx-image", "file": "clip_visual.onnx", "input": "pixel_values", "output": "image_embeds", "dim": 512 },
                  "mapper": { "kind": "identity" },
                  "generator": { "kind": "builtin-procedural" } }
                """);
            var report = await new Doctor(new OrtLibraryLocator(), new ModelSetCatalog([models], [])).CheckAsync(CancellationToken.None);
            var set = report.ModelSets.Single(s => s.Name == "clip-test");
            Assert.False(set.CanLoad);
            Assert.Contains("clip_visual.onnx", set.Problem, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
