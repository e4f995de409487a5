using System.Diagnostics;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Onnx.Cuda;

namespace V2AStream.Diagnostics;

/// <summary>Checks what this machine can run: ffmpeg, ffprobe, ONNX Runtime and its providers, CUDA, each model set.</summary>
internal sealed class Doctor(ModelSetCatalog catalog, Func<OrtRuntime> loadRuntime, CudaProbe cuda)
{
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(10);

    public Doctor(ModelSetCatalog catalog)
        : this(catalog, OrtRuntime.Load, new CudaProbe())
    {
    }

    public async Task<DoctorReport> CheckAsync(CancellationToken cancellationToken)
    {
        var ffmpeg = await CheckProgramAsync("ffmpeg", cancellationToken).ConfigureAwait(false);
        var ffprobe = await CheckProgramAsync("ffprobe", cancellationToken).ConfigureAwait(false);
        var canDecode = ffmpeg.Found && ffprobe.Found;
        var runtime = LoadRuntime(out var onnxRuntime);
        var entries = new ModelSetChecker(catalog, runtime is null ? null : OrtSessionFactory.Create(runtime, OrtDevice.Cpu, cuda)).List();
        var sets = entries.Select(entry => ToStatus(entry, canDecode, onnxRuntime)).ToList();
        var cudaStatus = runtime is null ? new CudaStatus(false, "needs ONNX Runtime first") : cuda.Check(runtime, deviceId: 0);
        return new DoctorReport(ffmpeg, ffprobe, onnxRuntime, runtime?.Providers ?? [], cudaStatus, CheckChildGuard(), sets);
    }

    /// <summary>The runtime (for checking model sets), or null with its status saying why not.</summary>
    private OrtRuntime? LoadRuntime(out ToolStatus status)
    {
        try
        {
            var runtime = loadRuntime();
            status = new ToolStatus("onnxruntime", true, runtime.Version, runtime.LibraryPath, null);
            return runtime;
        }
        catch (OrtException ex)
        {
            status = new ToolStatus("onnxruntime", false, null, null, ex.Message);
            return null;
        }
    }

    /// <summary>Whether ffmpeg children die with the program and run under their memory bound (util-linux's setpriv and prlimit).</summary>
    private static ToolStatus CheckChildGuard() =>
        ChildProcessLauncher.Shared.GuardsChildren
            ? new ToolStatus("children", true, null, ChildProcessLauncher.FindProgram("setpriv"), null)
            : new ToolStatus("children", false, null, null, "ffmpeg children may outlive a killed v2a and have no memory bound: install util-linux (setpriv >= 2.33, prlimit)");

    private static ModelSetStatus ToStatus(ModelSetEntry entry, bool canDecode, ToolStatus onnxRuntime)
    {
        var problem = !canDecode
            ? "needs ffmpeg and ffprobe to decode video"
            : entry.Manifest is { NeedsOnnxRuntime: true } && !onnxRuntime.Found
                ? $"needs ONNX Runtime: {onnxRuntime.Problem}"
                : entry.Problem;
        return new ModelSetStatus(entry.Name, entry.Directory, problem is null, problem);
    }

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
            process = await ChildProcessLauncher.Shared.StartAsync(startInfo, memoryLimitBytes: null).ConfigureAwait(false);
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
                    ? new ToolStatus(name, true, version, ChildProcessLauncher.FindProgram(name), null)
                    : new ToolStatus(name, false, null, ChildProcessLauncher.FindProgram(name), $"{name} -version exited with code {process.ExitCode}: reinstall it");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                return new ToolStatus(name, false, null, ChildProcessLauncher.FindProgram(name), $"{name} -version did not answer within {ProgramTimeout.TotalSeconds:F0} s");
            }
        }
    }

}
