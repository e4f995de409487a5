using Microsoft.ML.OnnxRuntime;

namespace V2AStream.Onnx;

/// <summary>
/// The process's ONNX Runtime, from the Microsoft.ML.OnnxRuntime packages: ORT's one environment (created on first
/// use with errors-only logging, since ORT's warnings would mix into the CLI's output), its version, its execution
/// providers and the native library file it runs from. ORT keeps one environment per process and never unloads
/// it, so every instance describes the same one. Thread-safe.
/// </summary>
public sealed class OrtRuntime
{
    private const string NativeLibraryName = "libonnxruntime.so";

    private static readonly Lazy<OrtEnv> Environment = new(CreateEnvironment, LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtRuntime(OrtEnv environment)
    {
        Version = environment.GetVersionString();
        Providers = environment.GetAvailableProviders();
        LibraryPath = FindLoadedLibrary();
    }

    /// <summary>ORT's own version string, e.g. "1.31.1".</summary>
    public string Version { get; }

    /// <summary>The execution providers built into the library (CPUExecutionProvider; CUDA and TensorRT in the CUDA build).
    /// A provider listed here still needs its own libraries when a session asks for it (see <see cref="Cuda.CudaProbe"/>).</summary>
    public IReadOnlyList<string> Providers { get; }

    /// <summary>The native library file in use, or null when it cannot be told.</summary>
    public string? LibraryPath { get; }

    /// <summary>Loads the native library and creates ORT's environment; throws <see cref="OrtException"/> (LibraryNotFound) saying why not.</summary>
    public static OrtRuntime Load()
    {
        try
        {
            return new OrtRuntime(Environment.Value);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            var reason = (ex is TypeInitializationException { InnerException: { } inner } ? inner : ex).Message;
            throw new OrtException(
                OrtErrorCode.LibraryNotFound,
                $"ONNX Runtime's native library cannot be loaded ({OrtErrors.FirstLine(reason)}): rebuild the program so that 'dotnet restore' brings the Microsoft.ML.OnnxRuntime package, and run './v2a doctor'.",
                ex);
        }
    }

    private static OrtEnv CreateEnvironment()
    {
        if (OrtEnv.IsCreated)
        {
            return OrtEnv.Instance();
        }

        var options = new EnvironmentCreationOptions { logId = "v2astream", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return OrtEnv.CreateInstanceWithOptions(ref options);
    }

    // The package's library is found by .NET's probing (runtimes/linux-x64/native), so ask the loader where it is.
    private static string? FindLoadedLibrary()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var path = line.IndexOf('/', StringComparison.Ordinal) is var start and >= 0 ? line[start..] : null;
            if (path is not null && Path.GetFileName(path) == NativeLibraryName)
            {
                return path;
            }
        }

        return null;
    }
}
