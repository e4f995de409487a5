using System.Text.Json;
using V2AStream.Cli;
using V2AStream.Core.Models;
using V2AStream.Diagnostics;
using V2AStream.Onnx;
using V2AStream.Onnx.Cuda;

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
        var providers = root.GetProperty("providers").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("CPUExecutionProvider", providers);
        var cudaBuild = providers.Contains(CudaProbe.ProviderName);
        Assert.Equal(cudaBuild ? "1.31.0" : "1.31.1", root.GetProperty("onnxruntime").GetProperty("version").GetString());
        var cuda = new CudaProbe().Check(OrtRuntime.Load(), 0);
        Assert.Equal(cuda.Usable, root.GetProperty("cuda").GetProperty("usable").GetBoolean());
        Assert.Equal(cuda.Detail, root.GetProperty("cuda").GetProperty("detail").GetString());
        if (!cudaBuild)
        {
            Assert.StartsWith($"this is the CPU build of ONNX Runtime ({CudaProbe.ProviderLibrary} is not in ", cuda.Detail, StringComparison.Ordinal);
        }
        var builtin = root.GetProperty("model_sets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "builtin");
        Assert.True(builtin.GetProperty("can_load").GetBoolean());
    }

    [Fact]
    public async Task Doctor_Text_SaysTheBuiltinSetRunsAndWhetherCudaCan()
    {
        var output = new StringWriter();
        var exitCode = await CliApp.InvokeAsync(["doctor"], output, new StringWriter(), CancellationToken.None);
        Assert.Equal(0, exitCode);
        Assert.Contains("ok       builtin", output.ToString(), StringComparison.Ordinal);
        var cuda = new CudaProbe().Check(OrtRuntime.Load(), 0);
        Assert.Contains(cuda.Usable ? $"ok       cuda         {cuda.Detail}" : $"-        cuda         not usable: {cuda.Detail}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CudaBuildWithoutDriver_SaysTheDriverIsMissing()
    {
        // A CUDA build (the provider library beside libonnxruntime.so) on a machine without the NVIDIA driver.
        var runtime = OrtRuntime.Load();
        var probe = new CudaProbe(_ => false, () => null);
        var folder = Directory.CreateTempSubdirectory("v2a-ort-gpu-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, CudaProbe.ProviderLibrary), string.Empty);
            var status = probe.Check(folder, ["CUDAExecutionProvider"], 0);
            Assert.False(status.Usable);
            Assert.Contains("libcuda.so.1", status.Detail, StringComparison.Ordinal);
            var report = await new Doctor(new ModelSetCatalog([], []), () => runtime, probe).CheckAsync(CancellationToken.None);
            Assert.False(report.Cuda.Usable);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Check_WithoutOnnxRuntime_SaysWhyAndBuiltinStillRuns()
    {
        var missing = new OrtException(OrtErrorCode.LibraryNotFound, "ONNX Runtime's native library cannot be loaded (libonnxruntime.so: cannot open shared object file)");
        var report = await new Doctor(new ModelSetCatalog([], []), () => throw missing, new CudaProbe()).CheckAsync(CancellationToken.None);
        Assert.False(report.OnnxRuntime.Found);
        Assert.Equal(missing.Message, report.OnnxRuntime.Problem);
        Assert.Empty(report.Providers);
        Assert.False(report.Cuda.Usable);
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
            var report = await new Doctor(new ModelSetCatalog([models], [])).CheckAsync(CancellationToken.None);
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
