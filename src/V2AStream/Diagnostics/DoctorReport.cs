namespace V2AStream.Diagnostics;

/// <summary>What <c>v2a doctor</c> found: the programs, ONNX Runtime and its providers, whether CUDA can run (on GPU 0), whether children are guarded, and the model sets.</summary>
internal sealed record DoctorReport(
    ToolStatus Ffmpeg,
    ToolStatus Ffprobe,
    ToolStatus OnnxRuntime,
    IReadOnlyList<string> Providers,
    Onnx.Cuda.CudaStatus Cuda,
    ToolStatus ChildGuard,
    IReadOnlyList<ModelSetStatus> ModelSets)
{
    /// <summary>The built-in set runs: the one condition for exit code 0.</summary>
    public bool BuiltinCanRun => ModelSets.Any(s => s.Name == Core.Models.ModelSetManifest.BuiltinName && s.CanLoad);
}
