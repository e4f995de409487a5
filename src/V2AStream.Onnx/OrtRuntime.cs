using System.Runtime.InteropServices;
using V2AStream.Onnx.Native;

namespace V2AStream.Onnx;

/// <summary>
/// A loaded ONNX Runtime: the native library, its C API table and one OrtEnv. Create one per process
/// (the host owns it) and share it; sessions keep it alive until they are disposed.
/// The native library is never unloaded: ORT does not support being unloaded and reloaded.
/// Thread safety: all members may be called concurrently.
/// </summary>
public sealed unsafe class OrtRuntime : IDisposable
{
    private readonly OrtHandle _env;

    private OrtRuntime(string libraryPath, OrtApi api, string version, OrtHandle env)
    {
        LibraryPath = libraryPath;
        Api = api;
        Version = version;
        _env = env;
    }

    /// <summary>The file the library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>ORT's own version string, e.g. "1.23.2".</summary>
    public string Version { get; }

    internal OrtApi Api { get; }

    internal OrtHandle Env => _env;

    /// <summary>Finds the library with <paramref name="locator"/> (default search order) and loads it.</summary>
    public static OrtRuntime Load(OrtLibraryLocator? locator = null) =>
        LoadFrom((locator ?? new OrtLibraryLocator()).Locate());

    /// <summary>Loads the library at <paramref name="libraryPath"/>.</summary>
    public static OrtRuntime LoadFrom(string libraryPath)
    {
        if (!File.Exists(libraryPath))
        {
            throw new OrtException(OrtErrorCode.LibraryNotFound, $"ONNX Runtime library '{libraryPath}' does not exist. Run './v2a doctor' or point {OrtLibraryLocator.LibraryVariable} at a libonnxruntime.so.1.");
        }

        nint library;
        try
        {
            library = NativeLibrary.Load(Path.GetFullPath(libraryPath));
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtException(OrtErrorCode.LibraryNotFound, $"ONNX Runtime library '{libraryPath}' could not be loaded ({ex.Message.Trim()}). It may be corrupt or for another platform; delete it and run './v2a doctor' to fetch it again.", ex);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBaseExport))
        {
            throw new OrtException(OrtErrorCode.LibraryNotFound, $"'{libraryPath}' is not an ONNX Runtime library (no OrtGetApiBase export).");
        }

        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
        var apiBase = ((delegate* unmanaged<nint>)getApiBaseExport)();
        var getApi = (delegate* unmanaged<uint, nint>)((nint*)apiBase)[0];
        var getVersionString = (delegate* unmanaged<byte*>)((nint*)apiBase)[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersionString()) ?? "unknown";

        var apiTable = getApi(OrtApi.ApiVersion);
        if (apiTable == 0)
        {
            throw new OrtException(OrtErrorCode.ApiVersionUnsupported, $"ONNX Runtime {version} at '{libraryPath}' does not offer C API version {OrtApi.ApiVersion}; use ONNX Runtime {OrtLibraryLocator.PinnedVersion} or newer.");
        }

        var api = new OrtApi(apiTable);
        nint env;
        var logId = "v2astream"u8;
        fixed (byte* logIdPtr = logId)
        {
            // Level 3 (error): ORT's warnings go to stderr and would mix into the CLI's output.
            api.Check(api.CreateEnv(3, logIdPtr, &env));
        }

        return new OrtRuntime(libraryPath, api, version, new OrtHandle(env, api.ReleaseEnv));
    }

    /// <summary>The execution providers compiled into the library, e.g. CUDAExecutionProvider, CPUExecutionProvider.
    /// A provider listed here still needs its provider library at session creation.</summary>
    public IReadOnlyList<string> GetAvailableProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? string.Empty;
            }

            return result;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(names, count));
        }
    }

    public void Dispose() => _env.Dispose();
}
