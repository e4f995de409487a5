using System.Diagnostics;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Diagnostics;

/// <summary>Checks what this machine can run: ffmpeg, ffprobe, ONNX Runtime and its providers, each model set.</summary>
internal sealed class Doctor(OrtLibraryLocator ortLocator, IReadOnlyList<string> modelSetDirectories)
{
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(10);

    public async Task<DoctorReport> CheckAsync(CancellationToken cancellationToken)
    {
        var ffmpeg = await CheckProgramAsync("ffmpeg", cancellationToken).ConfigureAwait(false);
        var ffprobe = await CheckProgramAsync("ffprobe", cancellationToken).ConfigureAwait(false);
        var (onnxRuntime, providers) = CheckOnnxRuntime();
        var sets = new List<ModelSetStatus>
        {
            new(ModelSetManifest.BuiltinName, null, ffmpeg.Found && ffprobe.Found, ffmpeg.Found && ffprobe.Found ? null : "needs ffmpeg and ffprobe to decode video"),
        };
        foreach (var directory in modelSetDirectories)
        {
            sets.Add(CheckModelSet(directory, onnxRuntime, ffmpeg.Found && ffprobe.Found));
        }

        return new DoctorReport(ffmpeg, ffprobe, onnxRuntime, providers, CheckCuda(onnxRuntime), sets);
    }

    private (ToolStatus, IReadOnlyList<string>) CheckOnnxRuntime()
    {
        try
        {
            using var runtime = OrtRuntime.Load(ortLocator);
            return (new ToolStatus("onnxruntime", true, runtime.Version, runtime.LibraryPath, null), runtime.GetAvailableProviders());
        }
        catch (OrtException ex)
        {
            return (new ToolStatus("onnxruntime", false, null, null, ex.Message), Array.Empty<string>());
        }
    }

    private static ToolStatus CheckCuda(ToolStatus onnxRuntime)
    {
        if (!onnxRuntime.Found)
        {
            return new ToolStatus("cuda", false, null, null, "needs ONNX Runtime first");
        }

        // The CUDA provider is compiled into the core but loads its own libraries at session creation.
        var folder = Path.GetDirectoryName(onnxRuntime.Path)!;
        string[] needed = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];
        var missing = needed.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        return missing.Length == 0
            ? new ToolStatus("cuda", true, null, folder, null)
            : new ToolStatus("cuda", false, null, folder, $"not usable: {string.Join(" and ", missing)} absent from {folder} (CPU only; see README 'GPU')");
    }

    private static ModelSetStatus CheckModelSet(string directory, ToolStatus onnxRuntime, bool canDecode)
    {
        ModelSetManifest manifest;
        try
        {
            manifest = ModelSetManifestReader.Read(directory);
        }
        catch (ModelSetException ex)
        {
            return new ModelSetStatus(Path.GetFileName(directory), directory, false, ex.Message);
        }

        string? problem = null;
        if (!canDecode)
        {
            problem = "needs ffmpeg and ffprobe to decode video";
        }
        else if (manifest.NeedsOnnxRuntime && !onnxRuntime.Found)
        {
            problem = $"needs ONNX Runtime: {onnxRuntime.Problem}";
        }
        else
        {
            var missing = ManifestFiles(manifest).Where(f => !File.Exists(Path.Combine(directory, f))).ToArray();
            if (missing.Length > 0)
            {
                problem = $"missing {string.Join(", ", missing)} in {directory}; see models/README.md for how to get them";
            }
        }

        return new ModelSetStatus(manifest.Name, directory, problem is null, problem);
    }

    private static IEnumerable<string> ManifestFiles(ModelSetManifest manifest) =>
        new[] { manifest.Embedder.File, manifest.Mapper.File, manifest.Generator.Unet, manifest.Generator.VaeDecoder, manifest.Generator.Vocoder, manifest.Generator.Unconditional }
            .OfType<string>();

    public static async Task<ToolStatus> CheckProgramAsync(string name, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-version");
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ToolStatus(name, false, null, null, $"{name} not found on PATH: install it (Debian/Ubuntu: apt-get install ffmpeg; ./v2a does this when run as root)");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProgramTimeout);
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var firstLine = (await stdout.ConfigureAwait(false)).Split('\n')[0];
                await stderr.ConfigureAwait(false);
                // "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> "5.1.9-0+deb12u1"
                var words = firstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var version = words.Length > 2 && words[1] == "version" ? words[2] : firstLine.Trim();
                return process.ExitCode == 0
                    ? new ToolStatus(name, true, version, ResolveOnPath(name), null)
                    : new ToolStatus(name, false, null, ResolveOnPath(name), $"{name} -version exited with code {process.ExitCode}: reinstall it");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                return new ToolStatus(name, false, null, ResolveOnPath(name), $"{name} -version did not answer within {ProgramTimeout.TotalSeconds:F0} s");
            }
        }
    }

    private static string? ResolveOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
