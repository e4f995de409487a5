using System.Runtime.InteropServices;

namespace V2AStream.Onnx.Native;

/// <summary>
/// The OrtApi function table (C API version 23, ORT 1.23.2), read once by slot index into typed
/// unmanaged function pointers. Slots are append-only across releases, so newer libraries work too.
/// Pointers are opaque handles (nint); strings are UTF-8 char*.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>The C API version this binding is written against (ORT 1.23).</summary>
    public const uint ApiVersion = 23;

    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, nint> EnableCpuMemArena;
    public readonly delegate* unmanaged<nint, nint> DisableCpuMemArena;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged<nint, long*, nuint, int, nint*, nint> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, int*, nint> IsTensor;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetTensorShapeElementCount;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProviderCudaV2;
    public readonly delegate* unmanaged<nint*, nint> CreateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCudaProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseCudaProviderOptions;

    public OrtApi(nint apiTable)
    {
        var slot = (nint*)apiTable;
        GetErrorCode = (delegate* unmanaged<nint, int>)slot[1];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)slot[2];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)slot[3];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)slot[7];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)slot[8];
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)slot[9];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)slot[10];
        EnableCpuMemArena = (delegate* unmanaged<nint, nint>)slot[18];
        DisableCpuMemArena = (delegate* unmanaged<nint, nint>)slot[19];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)slot[23];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)slot[24];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)slot[25];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)slot[30];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)slot[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slot[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)slot[34];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slot[36];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)slot[37];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)slot[39];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)slot[46];
        CreateTensorAsOrtValue = (delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)slot[48];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)slot[49];
        IsTensor = (delegate* unmanaged<nint, int*, nint>)slot[50];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)slot[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)slot[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)slot[56];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)slot[60];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)slot[61];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)slot[62];
        GetTensorShapeElementCount = (delegate* unmanaged<nint, nuint*, nint>)slot[64];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)slot[65];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)slot[69];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)slot[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)slot[78];
        ReleaseEnv = (delegate* unmanaged<nint, void>)slot[92];
        ReleaseStatus = (delegate* unmanaged<nint, void>)slot[93];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)slot[94];
        ReleaseSession = (delegate* unmanaged<nint, void>)slot[95];
        ReleaseValue = (delegate* unmanaged<nint, void>)slot[96];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)slot[97];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)slot[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)slot[99];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)slot[100];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)slot[125];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)slot[126];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)slot[130];
        SessionOptionsAppendExecutionProviderCudaV2 = (delegate* unmanaged<nint, nint, nint>)slot[204];
        CreateCudaProviderOptions = (delegate* unmanaged<nint*, nint>)slot[205];
        UpdateCudaProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)slot[206];
        ReleaseCudaProviderOptions = (delegate* unmanaged<nint, void>)slot[208];
    }

    /// <summary>Throws an <see cref="OrtException"/> for a non-null status, releasing the status first.</summary>
    public void Check(nint status)
    {
        if (status != 0)
        {
            throw ToException(status);
        }
    }

    /// <summary>Reads code and message of a non-null status into an exception and releases the status.</summary>
    public OrtException ToException(nint status)
    {
        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "unknown ONNX Runtime error";
        ReleaseStatus(status);
        return new OrtException(code, message);
    }
}
